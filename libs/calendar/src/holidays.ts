import { addDays, formatIsoDate, toDayNumber, weekdayOf, type IsoDate } from './iso-date';
import { FIRST_CALENDAR_YEAR, LAST_CALENDAR_YEAR, LUNAR_DATES } from './lunar-calendar.data';
import {
  DEFAULT_NATIONAL_DAY_ADJACENT,
  HOLIDAY_RULES,
  OFFICIAL_YEAR_DATA,
  WEEKLY_REST_DAYS,
  type HolidayKind,
  type HolidayRule,
  type OfficialYearData,
} from './holiday-calendar.data';

export interface Holiday {
  readonly date: IsoDate;
  readonly kind: HolidayKind;
  readonly name: string;
  /** `COMPENSATORY`: off because a holiday fell on a weekend; `SWAP`: public-sector swapped day off. */
  readonly type: 'HOLIDAY' | 'COMPENSATORY' | 'SWAP';
}

export interface HolidayData {
  readonly rules: readonly HolidayRule[];
  readonly official: Readonly<Record<number, OfficialYearData>>;
  readonly lunar: ReadonlyArray<readonly [number, IsoDate, IsoDate]>;
  readonly firstYear: number;
  readonly lastYear: number;
}

export const DEFAULT_HOLIDAY_DATA: HolidayData = {
  rules: HOLIDAY_RULES,
  official: OFFICIAL_YEAR_DATA,
  lunar: LUNAR_DATES,
  firstYear: FIRST_CALENDAR_YEAR,
  lastYear: LAST_CALENDAR_YEAR,
};

export function isWeeklyRestDay(date: IsoDate): boolean {
  return WEEKLY_REST_DAYS.includes(weekdayOf(date));
}

/** Days off in a year (holidays, days in lieu, swapped days off), sorted by date. */
export function holidaysIn(year: number, data: HolidayData = DEFAULT_HOLIDAY_DATA): Holiday[] {
  if (!Number.isInteger(year) || year < data.firstYear || year > data.lastYear) {
    // Silence would give wrong deadlines; extend the lunar table instead.
    throw new RangeError(`no holiday calendar for ${year} (covered: ${data.firstYear}–${data.lastYear})`);
  }
  const lunar = data.lunar.find(([y]) => y === year);
  if (!lunar) throw new RangeError(`no lunar dates for ${year}`);
  const official = data.official[year];

  const holidays: Array<Holiday & { compensated: boolean }> = [];
  for (const rule of data.rules) {
    if (rule.fromYear !== undefined && year < rule.fromYear) continue;
    for (const date of datesOf(rule, year, lunar, official)) {
      holidays.push({ date, kind: rule.kind, name: rule.name, type: 'HOLIDAY', compensated: rule.compensated });
    }
  }
  holidays.sort(byDate);

  const swappedOff = new Set(
    allSwaps(data)
      .map((s) => s.dayOff)
      .filter((d) => d.startsWith(`${year}-`)),
  );
  const taken = new Set(holidays.map((h) => h.date));
  const compensatory: Holiday[] = [];
  // In date order, so two weekend holidays in a row get two consecutive days in lieu.
  for (const holiday of holidays) {
    if (!holiday.compensated || !isWeeklyRestDay(holiday.date)) continue;
    let day = addDays(holiday.date, 1);
    while (isWeeklyRestDay(day) || taken.has(day) || swappedOff.has(day)) day = addDays(day, 1);
    taken.add(day);
    compensatory.push({ date: day, kind: holiday.kind, name: `${holiday.name} (day in lieu)`, type: 'COMPENSATORY' });
  }
  const swaps: Holiday[] = [...swappedOff].map((date) => ({ date, kind: kindNear(date, holidays), name: 'Swapped day off (public sector)', type: 'SWAP' }));
  const plain = holidays.map(({ compensated: _compensated, ...holiday }): Holiday => holiday);
  return [...plain, ...compensatory, ...swaps].sort(byDate);
}

/** Saturdays or Sundays that public-sector offices work in exchange for a swapped day off. */
export function swappedWorkDaysIn(year: number, data: HolidayData = DEFAULT_HOLIDAY_DATA): IsoDate[] {
  return allSwaps(data)
    .map((s) => s.workDay)
    .filter((d) => d.startsWith(`${year}-`));
}

// A swap listed under one year may reach into the next (a Tết in late January worked off in December).
function allSwaps(data: HolidayData): ReadonlyArray<{ dayOff: IsoDate; workDay: IsoDate }> {
  return Object.values(data.official).flatMap((o) => o.swaps ?? []);
}

function datesOf(rule: HolidayRule, year: number, lunar: readonly [number, IsoDate, IsoDate], official: OfficialYearData | undefined): IsoDate[] {
  const { date } = rule;
  switch (date.type) {
    case 'GREGORIAN':
      return [formatIsoDate(year, date.month, date.day)];
    case 'LUNAR_NEW_YEAR':
      return official?.tet ? [...official.tet] : date.offsets.map((offset) => addDays(lunar[1], offset));
    case 'HUNG_KINGS':
      return [lunar[2]];
    case 'NATIONAL_DAY_ADJACENT': {
      const choice = official?.nationalDayAdjacent ?? DEFAULT_NATIONAL_DAY_ADJACENT[weekdayOf(formatIsoDate(year, 9, 2))];
      return [`${year}-${choice}`];
    }
    default: {
      const unhandled: never = date;
      throw new Error(`unhandled holiday rule ${JSON.stringify(unhandled)}`);
    }
  }
}

function kindNear(date: IsoDate, holidays: readonly Holiday[]): HolidayKind {
  // A swap lengthens the nearest holiday; the kind only labels it.
  const target = toDayNumber(date);
  const nearest = [...holidays].sort((a, b) => Math.abs(toDayNumber(a.date) - target) - Math.abs(toDayNumber(b.date) - target))[0];
  return nearest?.kind ?? 'NEW_YEAR';
}

function byDate(a: { date: IsoDate }, b: { date: IsoDate }): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}
