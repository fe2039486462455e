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
  /**
   * The weekdays the decision gives off as Tết for public-sector offices (its days in lieu for Tết
   * days on a weekend included), so no further day in lieu is computed for them.
   */
  readonly tet?: readonly IsoDate[];
  readonly nationalDayAdjacent?: '09-01' | '09-03';
  /**
   * Working days swapped for public-sector offices (a day off taken against a Saturday worked).
   * They bind state agencies, whose deadlines these are, not every employer.
   */
  readonly swaps?: ReadonlyArray<{ readonly dayOff: IsoDate; readonly workDay: IsoDate }>;
  /** The decisions, each with its number and date where known, and where it was read. */
  readonly source: string;
}

/**
 * Official decisions, per year. A year is decided when both of its variable holidays are recorded
 * (`tet` and `nationalDayAdjacent`); the other holidays are fixed by the Labour Code. In a year not
 * decided the rules above give a fallback, and deadlines that cross it are `provisional`
 * (`isProvisionalBetween`): a later decision (a longer Tết, a swapped day) can move them.
 *
 * 2025 differs from issue 11's note ("27/1 ↔ 8/2 swap"): the Government Office's dispatch counts
 * 27–31 January as the five Tết days with the two weekends around them (9 days, 25/1–2/2) and no
 * swap, so Saturday 8 February 2025 was not a working day. The days off 25/1–2/2 are the same.
 */
export const OFFICIAL_YEAR_DATA: Readonly<Record<number, OfficialYearData>> = {
  2021: {
    tet: ['2021-02-10', '2021-02-11', '2021-02-12', '2021-02-15', '2021-02-16'],
    nationalDayAdjacent: '09-03',
    source:
      'Tết Tân Sửu: off 10–16 February 2021 (29 Chạp – mùng 5), Prime Minister’s approval announced by MOLISA, Dec 2020 (hanoimoi.vn "Lịch nghỉ Tết Nguyên đán Tân Sửu và Quốc khánh 2-9"; sggpnews.org.vn 2020-12-09); National Day 2–3 September 2021 (same notice)',
  },
  2022: {
    tet: ['2022-01-31', '2022-02-01', '2022-02-02', '2022-02-03', '2022-02-04'],
    nationalDayAdjacent: '09-01',
    source:
      'Tết Nhâm Dần: 5 days 31 January–4 February 2022 with the weekends around them (29 January–6 February), Government Office dispatch 245/VPCP-KGVX of 2022-01-11 (verify: number from kinhtemoitruong.vn; days from the MOLISA proposal, sggpnews.org.vn 2021-10-13); National Day 1–2 September 2022',
  },
  2023: {
    tet: ['2023-01-20', '2023-01-23', '2023-01-24', '2023-01-25', '2023-01-26'],
    nationalDayAdjacent: '09-01',
    source:
      'Tết Quý Mão: off 20–26 January 2023 (5 Tết days + 2 days in lieu), Deputy Prime Minister Vũ Đức Đam’s approval of the MOLISA proposal, Government Office dispatch of late November 2022 (en.vietnamplus.vn 2022-12-01; sggpnews.org.vn 2022-12-08); National Day 1–4 September 2023 (1–2 September + Monday 4 in lieu)',
  },
  2024: {
    tet: ['2024-02-08', '2024-02-09', '2024-02-12', '2024-02-13', '2024-02-14'],
    nationalDayAdjacent: '09-03',
    source:
      'Tết Giáp Thìn: off Thursday 8 – Wednesday 14 February 2024 (5 Tết days + 2 days in lieu, Labour Code Art. 111(3)), MOLISA notice after the Prime Minister’s approval (sucsongtre.vn; en.sggp.org.vn 2023-10-28); National Day 31 August–3 September 2024 (2–3 September)',
  },
  2025: {
    tet: ['2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31'],
    nationalDayAdjacent: '09-01',
    // (verify) Ministry of Home Affairs: Friday 2 May off, Saturday 26 April worked.
    swaps: [{ dayOff: '2025-05-02', workDay: '2025-04-26' }],
    source:
      'Tết Ất Tỵ: 5 Tết days 27–31 January 2025 with the weekends 25–26 January and 1–2 February (9 days), Government Office dispatch 8726/VPCP-KGVX of 2024-11-26 (pld.net.vn; en.sggp.org.vn 2024-11-27); 30 April–1 May with a swapped 2 May (verify); National Day 30 August–2 September 2025 (1–2 September, vietnamnews.vn 2025-08-04)',
  },
  2026: {
    tet: ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'],
    nationalDayAdjacent: '09-01',
    swaps: [
      { dayOff: '2026-01-02', workDay: '2026-01-10' },
      { dayOff: '2026-08-31', workDay: '2026-08-22' },
    ],
    source:
      'New Year: off 1–4 January 2026, Friday 2 January swapped with Saturday 10 January, Government Office dispatch 12729/VPCP-KGVX of 2025-12-25 (vietnam.vnanet.vn 2025-12-26). Tết Bính Ngọ: holiday days 16–20 February, off 14–22 February, and National Day: 1–2 September with Monday 31 August off against Saturday 22 August worked (off 29 August–2 September), Ministry of Home Affairs notice 9441/TB-BNV of 2025-10-16 (vietnamnews.vn 2025-10-17; baohaiphong.vn)',
  },
};
