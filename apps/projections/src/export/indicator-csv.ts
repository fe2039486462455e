import { EXPORT_COLUMNS, SUPPRESSED_MARK, type ExportRow, type Figure } from './indicator-table';

/** UTF-8 byte order mark: without it Excel reads the file as the system code page and mangles "Tỷ lệ đạt". */
export const UTF8_BOM = '\uFEFF';
/**
 * Vietnamese regional settings (vi-VN) have `,` as the decimal symbol and `;` as the list
 * separator, and Excel splits a CSV by that separator: so the file uses `;` and a decimal comma, and
 * no digit grouping (a `.` would read as a decimal point elsewhere). Tools read it with
 * `sep=';', decimal=','` (pandas) or `read.csv2` (R).
 */
export const CSV_SEPARATOR = ';';

/** Up to 2 decimals, trailing zeros dropped, decimal comma: 87.5 → `87,5`, 2 → `2`. */
export function vietnameseDecimal(value: number, decimals = 2): string {
  return String(Number(value.toFixed(decimals))).replace('.', ',');
}

function figureText(figure: Figure): string {
  switch (figure.kind) {
    case 'count':
      return vietnameseDecimal(figure.value);
    // A percentage as percent points with the sign in the header's unit column: 0.875 → `87,5`.
    case 'ratio':
      return vietnameseDecimal(figure.value * 100, 1);
    case 'suppressed':
      return SUPPRESSED_MARK;
    case 'none':
      return '';
  }
}

/** RFC 4180 quoting, and a text that a spreadsheet would run as a formula is defused with a leading `'`. */
function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const HEADERS: Readonly<Record<string, string>> = { value: 'Giá trị', target: 'Chỉ tiêu kế hoạch', shareAchieved: 'Tỷ lệ đạt (%)' };

/** The rows as CSV text: BOM, a header row, CRLF line ends (what Excel writes). */
export function indicatorsCsv(rows: readonly ExportRow[]): string {
  const lines = [EXPORT_COLUMNS.map((column) => csvField(HEADERS[column.key] ?? column.header)).join(CSV_SEPARATOR)];
  for (const row of rows) {
    lines.push(
      EXPORT_COLUMNS.map((column) => {
        const cell = row[column.key];
        return csvField(typeof cell === 'string' ? cell : figureText(cell));
      }).join(CSV_SEPARATOR),
    );
  }
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}
