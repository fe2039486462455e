import type { IsoDate, Weekday } from './iso-date';

/**
 * Public holidays with full pay, Labour Code 45/2019/QH14 Art. 112 (in force 2021-01-01), as data.
 * When a holiday falls on a weekly rest day the next working day is off (Art. 111(3)); that is the
 * `compensated` flag. Weekly rest days follow the public sector (Saturday and Sunday).
 */
export type HolidayKind = 'NEW_YEAR' | 'TET' | 'HUNG_KINGS' | 'REUNIFICATION_DAY' | 'LABOUR_DAY' | 'NATIONAL_DAY';

export type HolidayDateRule =
  /** The same Gregorian month and day every year. */
  | { readonly type: 'GREGORIAN'; readonly month: number; readonly day: number }
  /** Days relative to the lunar new year (day 0); the year's official override replaces them. */
  | { readonly type: 'LUNAR_NEW_YEAR'; readonly offsets: readonly number[] }
  /** 10th day of the 3rd lunar month. */
  | { readonly type: 'HUNG_KINGS' }
  /** 1 or 3 September, chosen each year by the government (official data, else the default table). */
  | { readonly type: 'NATIONAL_DAY_ADJACENT' };

export interface HolidayRule {
  readonly kind: HolidayKind;
  readonly name: string;
  readonly date: HolidayDateRule;
  readonly compensated: boolean;
  /** First year the rule applies (the adjacent National Day came with the 2019 Labour Code). */
  readonly fromYear?: number;
}

export const WEEKLY_REST_DAYS: readonly Weekday[] = ['SAT', 'SUN'];

export const HOLIDAY_RULES: readonly HolidayRule[] = [
  { kind: 'NEW_YEAR', name: "New Year's Day", date: { type: 'GREGORIAN', month: 1, day: 1 }, compensated: true },
  // Default Tết: the last day of the lunar year and the first four of the new one. The government
  // fixes the real days each year (they may start earlier); OFFICIAL_YEAR_DATA holds those.
  { kind: 'TET', name: 'Lunar New Year (Tết)', date: { type: 'LUNAR_NEW_YEAR', offsets: [-1, 0, 1, 2, 3] }, compensated: true },
  { kind: 'HUNG_KINGS', name: "Hùng Kings' Commemoration Day", date: { type: 'HUNG_KINGS' }, compensated: true },
  { kind: 'REUNIFICATION_DAY', name: 'Reunification Day', date: { type: 'GREGORIAN', month: 4, day: 30 }, compensated: true },
  { kind: 'LABOUR_DAY', name: 'International Labour Day', date: { type: 'GREGORIAN', month: 5, day: 1 }, compensated: true },
  { kind: 'NATIONAL_DAY', name: 'National Day', date: { type: 'GREGORIAN', month: 9, day: 2 }, compensated: true },
  { kind: 'NATIONAL_DAY', name: 'National Day (adjacent day)', date: { type: 'NATIONAL_DAY_ADJACENT' }, compensated: true, fromYear: 2021 },
];

/**
 * When no official choice is recorded: the adjacent day that joins the holiday to a weekend. This
 * reproduces every official choice 2021–2025; for Wednesday there is no such day and 3 September
 * is a guess.
 */
export const DEFAULT_NATIONAL_DAY_ADJACENT: Readonly<Record<Weekday, '09-01' | '09-03'>> = {
  MON: '09-03',
  TUE: '09-01',
  WED: '09-03',
  THU: '09-03',
  FRI: '09-01',
  SAT: '09-01',
  SUN: '09-03',
};

export interface OfficialYearData {
  /** The five Tết holiday days the government fixed for the year. */
  readonly tet?: readonly IsoDate[];
  readonly nationalDayAdjacent?: '09-01' | '09-03';
  /**
   * Working days swapped for public-sector offices (a day off taken against a Saturday worked).
   * They bind state agencies, whose deadlines these are, not every employer.
   */
  readonly swaps?: ReadonlyArray<{ readonly dayOff: IsoDate; readonly workDay: IsoDate }>;
  readonly source: string;
}

/** Only values we are sure of; anything else falls back to the rules above. */
export const OFFICIAL_YEAR_DATA: Readonly<Record<number, OfficialYearData>> = {
  2021: { nationalDayAdjacent: '09-03', source: 'Government holiday notice for 2021: National Day 2–3 September' },
  2022: { nationalDayAdjacent: '09-01', source: 'Government holiday notice for 2022: National Day 1–2 September' },
  2023: { nationalDayAdjacent: '09-01', source: 'Government holiday notice for 2023: National Day 1–2 September (+ Monday 4 September in lieu)' },
  2024: { nationalDayAdjacent: '09-03', source: 'Government holiday notice for 2024: National Day 2–3 September' },
  2025: {
    nationalDayAdjacent: '09-01',
    // (verify) Ministry of Home Affairs: Friday 2 May off, Saturday 26 April worked.
    swaps: [{ dayOff: '2025-05-02', workDay: '2025-04-26' }],
    source: 'Government holiday notices for 2025: 30 April–1 May with a swapped 2 May; National Day 1–2 September',
  },
  2026: {
    tet: ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'],
    source: 'Prime Minister’s approval of Tết Bính Ngọ 2026 for public servants: off 14–22 February (holiday days 16–20 February)',
  },
};
