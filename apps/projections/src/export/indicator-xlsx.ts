import { Workbook, type Cell } from 'exceljs';
import { EXPORT_COLUMNS, SUPPRESSED_MARK, type ExportRow, type Figure } from './indicator-table';

/**
 * Number formats are stored in the file without a locale: Excel and LibreOffice draw `#,##0` as
 * `1.234` and `0.0%` as `87,5%` under Vietnamese regional settings. The numbers stay numbers.
 */
export const XLSX_FORMATS = { count: '#,##0', decimal: '#,##0.0#', percent: '0.0%', date: 'dd/mm/yyyy' } as const;

export const SHEET_NAME = 'Chỉ tiêu';
export const NOTES_SHEET_NAME = 'Ghi chú';

export interface WorkbookInfo {
  /** When the file was made (the service's clock). */
  readonly createdAt: Date;
  /** The query as text, for the notes sheet (codes only). */
  readonly query: Readonly<Record<string, string>>;
}

function writeFigure(cell: Cell, figure: Figure): void {
  switch (figure.kind) {
    case 'count':
      cell.value = figure.value;
      cell.numFmt = Number.isInteger(figure.value) ? XLSX_FORMATS.count : XLSX_FORMATS.decimal;
      return;
    case 'ratio':
      cell.value = figure.value;
      cell.numFmt = XLSX_FORMATS.percent;
      return;
    case 'suppressed':
      cell.value = SUPPRESSED_MARK;
      cell.alignment = { horizontal: 'right' };
      return;
    case 'none':
      cell.value = null;
  }
}

/** A day `YYYY-MM-DD` as an Excel date (UTC midnight, so no time zone moves it to the day before). */
function writeDay(cell: Cell, day: string): void {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) {
    cell.value = day;
    return;
  }
  cell.value = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  cell.numFmt = XLSX_FORMATS.date;
}

/** The rows as an XLSX workbook: one sheet of figures (header frozen, filters on) and one of notes. */
export async function indicatorsXlsx(rows: readonly ExportRow[], info: WorkbookInfo): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'Hải Đăng projections';
  workbook.created = info.createdAt;
  workbook.modified = info.createdAt;
  const sheet = workbook.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = EXPORT_COLUMNS.map((column) => ({ header: column.header, key: column.key, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    const line = sheet.addRow([]);
    EXPORT_COLUMNS.forEach((column, index) => {
      const cell = line.getCell(index + 1);
      const value = row[column.key];
      if (typeof value !== 'string') writeFigure(cell, value);
      else if (column.key === 'from' || column.key === 'to') writeDay(cell, value);
      else cell.value = value;
    });
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: EXPORT_COLUMNS.length } };

  const notes = workbook.addWorksheet(NOTES_SHEET_NAME);
  notes.columns = [{ width: 24 }, { width: 90 }];
  notes.addRows([
    ['Tạo lúc (UTC)', info.createdAt.toISOString()],
    ...Object.entries(info.query).map(([key, value]) => [`Tham số: ${key}`, value]),
    ['Số dòng', rows.length],
    [SUPPRESSED_MARK, 'Số liệu bị ẩn để bảo vệ số nhỏ (dưới ngưỡng, hoặc ô bên cạnh để tổng không suy ra được ô nhỏ).'],
    ['Giá trị, Chỉ tiêu kế hoạch', 'Theo đơn vị tính: số lượng, hoặc tỷ lệ % với chỉ tiêu tính theo phần trăm.'],
    ['Tỷ lệ đạt', 'Giá trị chia cho chỉ tiêu kế hoạch.'],
  ]);
  notes.getColumn(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
