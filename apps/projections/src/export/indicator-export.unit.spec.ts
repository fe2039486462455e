import { Workbook } from 'exceljs';
import { ProblemHttpException } from '@haidang/http-platform';
import { CSV_SEPARATOR, indicatorsCsv, UTF8_BOM, vietnameseDecimal } from './indicator-csv';
import { accessLogQueryOf, exportFileName, indicatorQueryOf } from './indicator-export.query';
import { SAMPLE_CELLS } from './indicator-cells.test-fixtures';
import { EXPORT_COLUMNS, exportRowOf, SUPPRESSED_MARK } from './indicator-table';
import { indicatorsXlsx, NOTES_SHEET_NAME, SHEET_NAME, XLSX_FORMATS } from './indicator-xlsx';

const rows = SAMPLE_CELLS.map(exportRowOf);

/** Splits the CSV the way a spreadsheet does: `;` outside quotes, `""` an escaped quote. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === CSV_SEPARATOR) {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else field += c;
  }
  return records;
}

describe('CSV export', () => {
  const csv = indicatorsCsv(rows);
  const records = parseCsv(csv.slice(UTF8_BOM.length));

  it('starts with the UTF-8 BOM and a Vietnamese header row, and ends every line with CRLF', () => {
    expect(csv.startsWith('\uFEFFMã chỉ tiêu;Chỉ tiêu;')).toBe(true);
    expect(records[0]).toEqual([
      'Mã chỉ tiêu',
      'Chỉ tiêu',
      'Cấp đơn vị',
      'Mã đơn vị',
      'Đơn vị hành chính',
      'Kỳ',
      'Từ ngày',
      'Đến ngày',
      'Tử số',
      'Mẫu số',
      'Giá trị',
      'Đơn vị tính',
      'Chỉ tiêu kế hoạch',
      'Điều kiện đạt',
      'Tỷ lệ đạt (%)',
    ]);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(records).toHaveLength(1 + SAMPLE_CELLS.length);
  });

  it('writes counts without grouping, and percentages and shares as percent points with a decimal comma', () => {
    expect(records[1]).toEqual([
      'REHAB_ADMISSIONS',
      'Số người được tiếp nhận cai nghiện',
      'Xã',
      '06793',
      'Phường Cẩm Phả',
      '2022-Q3',
      '2022-07-01',
      '2022-09-30',
      '1234',
      '',
      '1234',
      'số lượng',
      '900',
      '≥',
      '137,1',
    ]);
    // The label holds the separator: quoted, read back whole.
    expect(records[2]).toEqual([
      'POST_REHAB_MANAGED',
      'Tỷ lệ người sau cai được quản lý; theo dõi',
      'Xã',
      '06793',
      'Phường Cẩm Phả',
      '2022-Q3',
      '2022-07-01',
      '2022-09-30',
      '35',
      '40',
      '87,5',
      '%',
      '100',
      '≥',
      '87,5',
    ]);
  });

  it('marks every figure of a suppressed cell, and leaves its target', () => {
    expect(records[3]?.slice(8)).toEqual([SUPPRESSED_MARK, SUPPRESSED_MARK, SUPPRESSED_MARK, 'số lượng', '420', '≥', SUPPRESSED_MARK]);
  });

  it('defuses a text a spreadsheet would run as a formula, and leaves empty what has no target', () => {
    expect(records[4]?.[1]).toBe("'=Số bài viết mỗi tuần");
    expect(records[4]?.slice(10)).toEqual(['2,08', 'số lượng', '', '', '']);
  });

  it('rounds to two decimals with a comma, dropping trailing zeros', () => {
    expect([vietnameseDecimal(2), vietnameseDecimal(87.5), vietnameseDecimal(1 / 3), vietnameseDecimal(-1.005)]).toEqual(['2', '87,5', '0,33', '-1']);
  });
});

describe('XLSX export', () => {
  const createdAt = new Date('2026-12-06T01:30:00Z');
  let workbook: Workbook;

  beforeAll(async () => {
    const buffer = await indicatorsXlsx(rows, { createdAt, query: { format: 'xlsx', provinceCode: '22', period: '2022-Q3' } });
    expect(buffer.subarray(0, 2).toString('latin1')).toBe('PK');
    workbook = new Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  });

  it('reads back with Vietnamese headers on a frozen, filtered first row', () => {
    const sheet = workbook.getWorksheet(SHEET_NAME);
    expect(sheet).toBeDefined();
    const header = EXPORT_COLUMNS.map((_, i) => sheet?.getRow(1).getCell(i + 1).value);
    expect(header).toEqual(EXPORT_COLUMNS.map((c) => c.header));
    expect(header).toEqual(
      expect.arrayContaining(['Mã chỉ tiêu', 'Chỉ tiêu', 'Đơn vị hành chính', 'Kỳ', 'Tử số', 'Mẫu số', 'Giá trị', 'Chỉ tiêu kế hoạch', 'Tỷ lệ đạt']),
    );
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet?.autoFilter).toBeDefined();
    expect(sheet?.rowCount).toBe(1 + SAMPLE_CELLS.length);
  });

  it('keeps numbers as numbers with Vietnamese-displayable formats: #,##0 for counts, 0.0% for shares', () => {
    const sheet = workbook.getWorksheet(SHEET_NAME);
    const at = (row: number, key: string) => sheet?.getRow(row).getCell(EXPORT_COLUMNS.findIndex((c) => c.key === key) + 1);
    expect(at(2, 'numerator')?.value).toBe(1234);
    expect(at(2, 'numerator')?.numFmt).toBe(XLSX_FORMATS.count);
    expect(at(2, 'target')?.value).toBe(900);
    expect(at(2, 'shareAchieved')?.value).toBeCloseTo(1234 / 900, 10);
    expect(at(2, 'shareAchieved')?.numFmt).toBe(XLSX_FORMATS.percent);
    // A PERCENT indicator: 87.5 % is the ratio 0.875, and its target 100 % is 1.
    expect(at(3, 'value')?.value).toBe(0.875);
    expect(at(3, 'value')?.numFmt).toBe(XLSX_FORMATS.percent);
    expect(at(3, 'target')?.value).toBe(1);
    expect(at(3, 'label')?.value).toBe('Tỷ lệ người sau cai được quản lý; theo dõi');
    expect(at(5, 'value')?.numFmt).toBe(XLSX_FORMATS.decimal);
    expect(at(2, 'from')?.value).toEqual(new Date('2022-07-01T00:00:00Z'));
    expect(at(2, 'from')?.numFmt).toBe(XLSX_FORMATS.date);
  });

  it('marks the figures of a suppressed cell and keeps a text that looks like a formula as text', () => {
    const sheet = workbook.getWorksheet(SHEET_NAME);
    const row = sheet?.getRow(4);
    for (const key of ['numerator', 'denominator', 'value', 'shareAchieved'])
      expect(row?.getCell(EXPORT_COLUMNS.findIndex((c) => c.key === key) + 1).value).toBe(SUPPRESSED_MARK);
    expect(sheet?.getRow(5).getCell(2).value).toBe('=Số bài viết mỗi tuần');
    expect(sheet?.getRow(5).getCell(2).type).not.toBe(6 /* ValueType.Formula */);
  });

  it('says in a notes sheet when it was made, by which query, how many rows, and what the mark means', () => {
    const notes = workbook.getWorksheet(NOTES_SHEET_NAME);
    const lines = new Map<string, unknown>();
    notes?.eachRow((row) => lines.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(lines.get('Tạo lúc (UTC)')).toBe('2026-12-06T01:30:00.000Z');
    expect(lines.get('Tham số: period')).toBe('2022-Q3');
    expect(lines.get('Số dòng')).toBe(SAMPLE_CELLS.length);
    expect(String(lines.get(SUPPRESSED_MARK))).toMatch(/ẩn/);
    expect(workbook.created).toEqual(createdAt);
  });
});

describe('export query', () => {
  it('reads the query as GET /api/v1/indicators does: PROVINCE by default, the calendar of the period, `plan` for the plan', () => {
    expect(indicatorQueryOf({ provinceCode: '22', period: '2022-Q3' })).toEqual({
      provinceCode: '22',
      unitLevel: 'PROVINCE',
      period: { kind: 'QUARTER', label: '2022-Q3', from: '2022-07-01', to: '2022-09-30' },
    });
    expect(indicatorQueryOf({ provinceCode: '22', unitLevel: 'COMMUNE', unitCode: '06793', period: 'plan', codes: ['JOBS_PLACED'] })).toEqual({
      provinceCode: '22',
      unitLevel: 'COMMUNE',
      unitCode: '06793',
      period: { kind: 'PLAN', label: 'PLAN', from: '', to: '' },
      codes: ['JOBS_PLACED'],
    });
    expect(() => indicatorQueryOf({ provinceCode: '22', unitCode: '06793', period: '2022' })).toThrow(ProblemHttpException);
  });

  it('keeps in the access log the format and the parameters as codes, and names the file after them in ASCII', () => {
    const query = { provinceCode: '22', unitLevel: 'COMMUNE', unitCode: '06793', period: '2022-Q3', codes: ['JOBS_PLACED', 'VOCATIONAL_TRAINED'] } as const;
    expect(accessLogQueryOf({ ...query, codes: [...query.codes] }, 'csv')).toEqual({
      format: 'csv',
      provinceCode: '22',
      unitLevel: 'COMMUNE',
      unitCode: '06793',
      period: '2022-Q3',
      codes: 'JOBS_PLACED,VOCATIONAL_TRAINED',
    });
    expect(exportFileName({ ...query, codes: [...query.codes] }, 'xlsx')).toBe('chi-tieu_22_COMMUNE_06793_2022-Q3.xlsx');
    expect(exportFileName({ provinceCode: '22', period: 'plan' }, 'csv')).toBe('chi-tieu_22_PROVINCE_plan.csv');
  });
});
