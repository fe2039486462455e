import type { IndicatorPeriod, PeriodKind } from './indicator-reader.port';

/** `2022-07`, `2022-Q3`, `2022`: a calendar period; `plan` is resolved against a plan elsewhere. */
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const YEAR = /^(\d{4})$/;

function lastDayOfMonth(year: number, month: number): string {
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function monthStart(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}-01`;
}

/** The calendar period a label names, or undefined when it names none (`plan` included: see the reader). */
export function parseCalendarPeriod(label: string): IndicatorPeriod | undefined {
  let m = MONTH.exec(label);
  if (m) {
    const [year, month] = [Number(m[1]), Number(m[2])];
    return { kind: 'MONTH', label, from: monthStart(year, month), to: lastDayOfMonth(year, month) };
  }
  m = QUARTER.exec(label);
  if (m) {
    const [year, quarter] = [Number(m[1]), Number(m[2])];
    return { kind: 'QUARTER', label, from: monthStart(year, quarter * 3 - 2), to: lastDayOfMonth(year, quarter * 3) };
  }
  m = YEAR.exec(label);
  if (m) return { kind: 'YEAR', label, from: `${label}-01-01`, to: `${label}-12-31` };
  return undefined;
}

/** The period of `kind` holding `day` (YYYY-MM-DD). */
export function periodHolding(kind: Exclude<PeriodKind, 'PLAN'>, day: string): IndicatorPeriod {
  const year = day.slice(0, 4);
  const month = Number(day.slice(5, 7));
  const label = kind === 'YEAR' ? year : kind === 'QUARTER' ? `${year}-Q${Math.ceil(month / 3)}` : day.slice(0, 7);
  return parseCalendarPeriod(label) as IndicatorPeriod;
}

/** Every period of `kind` from the one holding `from` to the one holding `to`, in order (at most `limit`). */
export function periodsBetween(kind: Exclude<PeriodKind, 'PLAN'>, from: string, to: string, limit = 400): IndicatorPeriod[] {
  const periods: IndicatorPeriod[] = [];
  let current = periodHolding(kind, from);
  while (current.from <= to && periods.length < limit) {
    periods.push(current);
    current = periodHolding(kind, addDays(current.to, 1));
  }
  return periods;
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysIn(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}
