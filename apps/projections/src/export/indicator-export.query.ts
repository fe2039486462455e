import { ProblemHttpException, validationProblem } from '@haidang/http-platform';
import type { IndicatorPeriod, IndicatorQuery } from '../indicators/indicator-reader.port';
import type { IndicatorsQueryDto } from '../indicators/indicators.request.dto';
import { parseCalendarPeriod } from '../indicators/periods';

/**
 * An export takes the query of `GET /api/v1/indicators` (its DTO, IndicatorsQueryDto) and reads it
 * the same way: unit level PROVINCE by default, no other unit at that level, `plan` for the plan's
 * whole period. The same cells, then, on the screen and in the file.
 */
export function indicatorQueryOf(query: IndicatorsQueryDto): IndicatorQuery {
  const unitLevel = query.unitLevel ?? 'PROVINCE';
  if (unitLevel === 'PROVINCE' && query.unitCode !== undefined && query.unitCode !== query.provinceCode)
    throw new ProblemHttpException(validationProblem([{ field: 'unitCode', message: 'unitCode must be absent (or the province) at unitLevel PROVINCE' }]));
  const period: IndicatorPeriod = parseCalendarPeriod(query.period) ?? { kind: 'PLAN', label: 'PLAN', from: '', to: '' };
  return {
    provinceCode: query.provinceCode,
    unitLevel,
    period,
    ...(query.unitCode === undefined || unitLevel === 'PROVINCE' ? {} : { unitCode: query.unitCode }),
    ...(query.codes === undefined ? {} : { codes: query.codes }),
    ...(query.planId === undefined ? {} : { planId: query.planId }),
  };
}

/** The query as the access log keeps it: the format and the parameters, as codes. */
export function accessLogQueryOf(query: IndicatorsQueryDto, format: 'csv' | 'xlsx'): Record<string, string> {
  return {
    format,
    provinceCode: query.provinceCode,
    unitLevel: query.unitLevel ?? 'PROVINCE',
    period: query.period,
    ...(query.unitCode === undefined ? {} : { unitCode: query.unitCode }),
    ...(query.codes === undefined ? {} : { codes: query.codes.join(',') }),
    ...(query.planId === undefined ? {} : { planId: query.planId }),
  };
}

/** `chi-tieu_22_COMMUNE_2022-Q3.csv`: ASCII only, so every browser and mail client keeps it. */
export function exportFileName(query: IndicatorsQueryDto, extension: 'csv' | 'xlsx'): string {
  const parts = ['chi-tieu', query.provinceCode, query.unitLevel ?? 'PROVINCE', ...(query.unitCode === undefined ? [] : [query.unitCode]), query.period];
  return `${parts.join('_').replace(/[^A-Za-z0-9_.-]/g, '-')}.${extension}`;
}
