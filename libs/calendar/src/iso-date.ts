/**
 * Calendar dates as ISO `YYYY-MM-DD` strings, computed with integer arithmetic on day numbers.
 * No `Date`: a `Date` is an instant, and converting it to a Vietnamese calendar day depends on the
 * host's time zone. A date here is already the day in Vietnam (UTC+7), as the caller states it.
 */
export type IsoDate = string;

export type Weekday = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Throws on a malformed or impossible date: callers validate input at the edge, so this is a bug. */
export function parseIsoDate(value: IsoDate): { year: number; month: number; day: number } {
  if (!isIsoDate(value)) throw new RangeError('not an ISO calendar date (YYYY-MM-DD)');
  return { year: Number(value.slice(0, 4)), month: Number(value.slice(5, 7)), day: Number(value.slice(8, 10)) };
}

export function formatIsoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Days since 1970-01-01 (proleptic Gregorian); Howard Hinnant's days_from_civil. */
export function toDayNumber(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of toDayNumber; Howard Hinnant's civil_from_days. */
export function fromDayNumber(dayNumber: number): IsoDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return formatIsoDate(yoe + era * 400 + (month <= 2 ? 1 : 0), month, day);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Calendar months; the day is clamped to the end of a shorter month (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  const index = year * 12 + (month - 1) + months;
  const newYear = Math.floor(index / 12);
  const newMonth = index - newYear * 12 + 1;
  return formatIsoDate(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)));
}

const WEEKDAYS: readonly Weekday[] = ['THU', 'FRI', 'SAT', 'SUN', 'MON', 'TUE', 'WED'];

export function weekdayOf(date: IsoDate): Weekday {
  const n = toDayNumber(date);
  // 1970-01-01 was a Thursday.
  return WEEKDAYS[((n % 7) + 7) % 7] as Weekday;
}

/** Negative, zero or positive as a is before, equal to or after b (ISO dates sort as strings). */
export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Vietnam has one time zone, UTC+7, and no daylight saving time. */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

/** The calendar date in Vietnam at the given instant (the one place an instant becomes a day). */
export function vietnamDateOf(instant: Date): IsoDate {
  return new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareIsoDates(a, b) >= 0 ? a : b;
}
