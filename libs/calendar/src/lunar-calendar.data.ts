import type { IsoDate } from './iso-date';

/**
 * Lunar dates the holiday calendar needs, as Gregorian dates in Vietnam (UTC+7). Vietnam's lunar
 * calendar is computed for UTC+7 and differs from the Chinese one in some years (e.g. 2030).
 *
 * Generated once from @dqcai/vn-lunar 1.0.1 (`LunarCalendar.fromLunar(day, month, year)`), kept as
 * data so that production code carries no calendar algorithm or third-party code (that package's
 * CommonJS build is obfuscated and does not load under Node 20's `require`);
 * lunar-calendar.data.unit.spec.ts checks every row against the package.
 *
 * [Gregorian year, lunar new year (1st day of the 1st lunar month), Hùng Kings' day (10th day of
 * the 3rd lunar month)]
 */
export const LUNAR_DATES: ReadonlyArray<readonly [year: number, lunarNewYear: IsoDate, hungKings: IsoDate]> = [
  [2015, '2015-02-19', '2015-04-28'],
  [2016, '2016-02-08', '2016-04-16'],
  [2017, '2017-01-28', '2017-04-06'],
  [2018, '2018-02-16', '2018-04-25'],
  [2019, '2019-02-05', '2019-04-14'],
  [2020, '2020-01-25', '2020-04-02'],
  [2021, '2021-02-12', '2021-04-21'],
  [2022, '2022-02-01', '2022-04-10'],
  [2023, '2023-01-22', '2023-04-29'],
  [2024, '2024-02-10', '2024-04-18'],
  [2025, '2025-01-29', '2025-04-07'],
  [2026, '2026-02-17', '2026-04-26'],
  [2027, '2027-02-06', '2027-04-16'],
  [2028, '2028-01-26', '2028-04-04'],
  [2029, '2029-02-13', '2029-04-23'],
  [2030, '2030-02-02', '2030-04-12'],
  [2031, '2031-01-23', '2031-04-01'],
  [2032, '2032-02-11', '2032-04-19'],
  [2033, '2033-01-31', '2033-04-09'],
  [2034, '2034-02-19', '2034-04-28'],
  [2035, '2035-02-08', '2035-04-17'],
  [2036, '2036-01-28', '2036-04-06'],
  [2037, '2037-02-15', '2037-04-24'],
  [2038, '2038-02-04', '2038-04-13'],
  [2039, '2039-01-24', '2039-04-03'],
  [2040, '2040-02-12', '2040-04-20'],
];

export const FIRST_CALENDAR_YEAR = 2015;
export const LAST_CALENDAR_YEAR = 2040;
