import { addDays, parseIsoDate, toDayNumber, type IsoDate } from './iso-date';
import { DEFAULT_HOLIDAY_DATA, holidaysIn, isWeeklyRestDay, swappedWorkDaysIn, type HolidayData } from './holidays';

/** A working-day calendar over one set of holiday data (injectable so tests can vary the data). */
export interface WorkingDayCalendar {
  isWorkingDay(date: IsoDate): boolean;
  /**
   * The date n working days after `date` (before it when n < 0), counting from the next day, as in
   * "due 3 working days after": Friday + 1 = Monday. n = 0 returns `date` unchanged.
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate;
  /** Working days d with a < d ≤ b (negative when b < a), so that between(a, addWorkingDays(a, n)) = n. */
  workingDaysBetween(a: IsoDate, b: IsoDate): number;
  /** Were the year's variable holidays (Tết, the National Day adjacent day) officially decided? */
  isYearDecided(year: number): boolean;
  /**
   * True when a year from `a` to `b` (either order, both included) has no official decision yet, so
   * the rule-based fallback was used: a deadline over that span may move when the decision comes.
   */
  isProvisionalBetween(a: IsoDate, b: IsoDate): boolean;
  /** addWorkingDays with its basis: `provisional` when the span crosses an undecided year. */
  workingDayDeadline(date: IsoDate, n: number): WorkingDayDeadline;
}

export interface WorkingDayDeadline {
  readonly dueOn: IsoDate;
  /** Computed with the rule-based fallback for a year without an official decision. */
  readonly provisional: boolean;
}

export function createWorkingDayCalendar(data: HolidayData = DEFAULT_HOLIDAY_DATA): WorkingDayCalendar {
  const daysOffByYear = new Map<number, ReadonlySet<IsoDate>>();
  const workedByYear = new Map<number, ReadonlySet<IsoDate>>();

  const daysOff = (year: number): ReadonlySet<IsoDate> => {
    let set = daysOffByYear.get(year);
    if (!set) {
      set = new Set(holidaysIn(year, data).map((h) => h.date));
      daysOffByYear.set(year, set);
    }
    return set;
  };
  const worked = (year: number): ReadonlySet<IsoDate> => {
    let set = workedByYear.get(year);
    if (!set) {
      set = new Set(swappedWorkDaysIn(year, data));
      workedByYear.set(year, set);
    }
    return set;
  };

  const isWorkingDay = (date: IsoDate): boolean => {
    const { year } = parseIsoDate(date);
    if (daysOff(year).has(date)) return false;
    return !isWeeklyRestDay(date) || worked(year).has(date);
  };

  const addWorkingDays = (date: IsoDate, n: number): IsoDate => {
    if (!Number.isInteger(n)) throw new RangeError('n must be an integer');
    parseIsoDate(date);
    const step = n < 0 ? -1 : 1;
    let day = date;
    for (let left = Math.abs(n); left > 0;) {
      day = addDays(day, step);
      if (isWorkingDay(day)) left -= 1;
    }
    return day;
  };

  const workingDaysBetween = (a: IsoDate, b: IsoDate): number => {
    const [from, to, sign] = toDayNumber(a) <= toDayNumber(b) ? [a, b, 1] : [b, a, -1];
    let count = 0;
    for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) {
      if (isWorkingDay(day)) count += 1;
    }
    return sign * count;
  };

  const isYearDecided = (year: number): boolean => {
    const official = data.official[year];
    return official?.tet !== undefined && official.nationalDayAdjacent !== undefined;
  };

  const isProvisionalBetween = (a: IsoDate, b: IsoDate): boolean => {
    const [first, last] = [parseIsoDate(a).year, parseIsoDate(b).year].sort((x, y) => x - y) as [number, number];
    for (let year = first; year <= last; year++) if (!isYearDecided(year)) return true;
    return false;
  };

  const workingDayDeadline = (date: IsoDate, n: number): WorkingDayDeadline => {
    const dueOn = addWorkingDays(date, n);
    return { dueOn, provisional: isProvisionalBetween(date, dueOn) };
  };

  return { isWorkingDay, addWorkingDays, workingDaysBetween, isYearDecided, isProvisionalBetween, workingDayDeadline };
}

const defaultCalendar = createWorkingDayCalendar();

export const isWorkingDay = (date: IsoDate): boolean => defaultCalendar.isWorkingDay(date);
export const addWorkingDays = (date: IsoDate, n: number): IsoDate => defaultCalendar.addWorkingDays(date, n);
export const workingDaysBetween = (a: IsoDate, b: IsoDate): number => defaultCalendar.workingDaysBetween(a, b);
export const isYearDecided = (year: number): boolean => defaultCalendar.isYearDecided(year);
export const isProvisionalBetween = (a: IsoDate, b: IsoDate): boolean => defaultCalendar.isProvisionalBetween(a, b);
export const workingDayDeadline = (date: IsoDate, n: number): WorkingDayDeadline => defaultCalendar.workingDayDeadline(date, n);
