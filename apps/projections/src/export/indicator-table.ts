import type { IndicatorCell, UnitLevel } from '../indicators/indicator-reader.port';

/**
 * What a suppressed figure shows in a file. Not `<5`: to keep totals from giving a small cell away,
 * cells of 5 or more are hidden beside it too, and `<5` would then be false.
 */
export const SUPPRESSED_MARK = 'ẩn';

const UNIT_LEVEL_VI: Readonly<Record<UnitLevel, string>> = { PROVINCE: 'Tỉnh', DISTRICT: 'Huyện', COMMUNE: 'Xã' };

/** A figure of one row: a number, a percentage as a ratio (0.875 = 87.5 %), the suppression mark, or nothing. */
export type Figure =
  | { readonly kind: 'count'; readonly value: number }
  | { readonly kind: 'ratio'; readonly value: number }
  | { readonly kind: 'suppressed' }
  | { readonly kind: 'none' };

/** One exported row, the same for CSV and XLSX. */
export interface ExportRow {
  readonly code: string;
  readonly label: string;
  readonly unitLevel: string;
  readonly unitCode: string;
  readonly unitName: string;
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly numerator: Figure;
  readonly denominator: Figure;
  readonly value: Figure;
  readonly measure: string;
  readonly target: Figure;
  readonly comparison: string;
  readonly shareAchieved: Figure;
}

/** The columns in order, with their Vietnamese headers (the files are for Vietnamese analysts). */
export const EXPORT_COLUMNS = [
  { key: 'code', header: 'Mã chỉ tiêu', width: 22 },
  { key: 'label', header: 'Chỉ tiêu', width: 48 },
  { key: 'unitLevel', header: 'Cấp đơn vị', width: 10 },
  { key: 'unitCode', header: 'Mã đơn vị', width: 10 },
  { key: 'unitName', header: 'Đơn vị hành chính', width: 28 },
  { key: 'period', header: 'Kỳ', width: 10 },
  { key: 'from', header: 'Từ ngày', width: 12 },
  { key: 'to', header: 'Đến ngày', width: 12 },
  { key: 'numerator', header: 'Tử số', width: 10 },
  { key: 'denominator', header: 'Mẫu số', width: 10 },
  { key: 'value', header: 'Giá trị', width: 10 },
  { key: 'measure', header: 'Đơn vị tính', width: 11 },
  { key: 'target', header: 'Chỉ tiêu kế hoạch', width: 12 },
  { key: 'comparison', header: 'Điều kiện đạt', width: 10 },
  { key: 'shareAchieved', header: 'Tỷ lệ đạt', width: 10 },
] as const satisfies readonly { key: keyof ExportRow; header: string; width: number }[];

const count = (value: number | null, suppressed: boolean): Figure =>
  suppressed ? { kind: 'suppressed' } : value === null ? { kind: 'none' } : { kind: 'count', value };

/**
 * A cell of the reader as a row of the file. A PERCENT indicator's value (87.5) becomes a ratio
 * (0.875), so that a spreadsheet shows it with its own percent format and can compute with it.
 */
export function exportRowOf(cell: IndicatorCell): ExportRow {
  const percent = cell.target?.unit === 'PERCENT';
  const asValue = (value: number | null): Figure =>
    value === null ? { kind: 'none' } : percent ? { kind: 'ratio', value: value / 100 } : { kind: 'count', value };
  return {
    code: cell.code,
    label: cell.labelVi,
    unitLevel: UNIT_LEVEL_VI[cell.unitLevel],
    unitCode: cell.unitCode,
    unitName: cell.unitName,
    period: cell.period.label,
    from: cell.period.from,
    to: cell.period.to,
    numerator: count(cell.numerator, cell.suppressed),
    denominator: count(cell.denominator, cell.suppressed),
    value: cell.suppressed ? { kind: 'suppressed' } : asValue(cell.value),
    measure: percent ? '%' : 'số lượng',
    target: asValue(cell.target?.value ?? null),
    comparison: cell.target === null ? '' : cell.target.comparison === 'AT_LEAST' ? '≥' : '>',
    shareAchieved: cell.suppressed ? { kind: 'suppressed' } : cell.shareAchieved === null ? { kind: 'none' } : { kind: 'ratio', value: cell.shareAchieved },
  };
}
