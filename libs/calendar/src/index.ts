export {
  isIsoDate,
  parseIsoDate,
  formatIsoDate,
  toDayNumber,
  fromDayNumber,
  addDays,
  addMonths,
  weekdayOf,
  compareIsoDates,
  daysInMonth,
  isLeapYear,
  vietnamDateOf,
  daysBetween,
  maxDate,
} from './iso-date';
export type { IsoDate, Weekday } from './iso-date';
export { holidaysIn, swappedWorkDaysIn, isWeeklyRestDay, DEFAULT_HOLIDAY_DATA } from './holidays';
export type { Holiday, HolidayData } from './holidays';
export { HOLIDAY_RULES, OFFICIAL_YEAR_DATA, DEFAULT_NATIONAL_DAY_ADJACENT, WEEKLY_REST_DAYS } from './holiday-calendar.data';
export type { HolidayKind, HolidayRule, HolidayDateRule, OfficialYearData } from './holiday-calendar.data';
export { LUNAR_DATES, FIRST_CALENDAR_YEAR, LAST_CALENDAR_YEAR } from './lunar-calendar.data';
export {
  createWorkingDayCalendar,
  isWorkingDay,
  addWorkingDays,
  workingDaysBetween,
  isYearDecided,
  isProvisionalBetween,
  workingDayDeadline,
} from './working-days';
export type { WorkingDayCalendar, WorkingDayDeadline } from './working-days';
