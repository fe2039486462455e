/**
 * Calendar dates as ISO `YYYY-MM-DD` strings. Legal decisions in Vietnam are dated by day, not by
 * instant, so the domain compares days. The arithmetic is the service's one date module.
 */
import { isIsoDate, type IsoDate } from '@haidang/calendar';

export { addDays, addMonths, daysBetween, maxDate, vietnamDateOf } from '@haidang/calendar';

export type LocalDate = IsoDate;

export function isLocalDate(value: unknown): value is LocalDate {
  return typeof value === 'string' && isIsoDate(value);
}
