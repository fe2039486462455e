import { addMonths, createWorkingDayCalendar, type IsoDate } from '@haidang/calendar';
import type { ScheduledFollowUp } from './employment-record.events';
import { FOLLOW_UP_MONTHS } from './employment.vocabulary';

const calendar = createWorkingDayCalendar();

/** How early before its due date a follow-up may be recorded, in working days. */
export const FOLLOW_UP_EARLY_WORKING_DAYS = 10;

/** The first working day on or after `date` (the official calendar: weekends, Tết and the other public holidays, swapped days). */
export function workingDayOnOrAfter(date: IsoDate): IsoDate {
  return calendar.isWorkingDay(date) ? date : calendar.addWorkingDays(date, 1);
}

/** The checks of a job started on `startOn`: at 3, 6 and 12 months, each moved to the next working day. */
export function followUpsFor(startOn: IsoDate): ScheduledFollowUp[] {
  return FOLLOW_UP_MONTHS.map((month) => ({ month, dueOn: workingDayOnOrAfter(addMonths(startOn, month)) }));
}

/** The earliest day a follow-up due on `dueOn` may be recorded. */
export function earliestFollowUpOn(dueOn: IsoDate): IsoDate {
  return calendar.addWorkingDays(dueOn, -FOLLOW_UP_EARLY_WORKING_DAYS);
}
