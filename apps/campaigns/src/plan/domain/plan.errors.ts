import { domainErrors, type DomainError } from '@haidang/decider';

/** Named domain errors of a plan: a stable code and plain words; statuses are in campaigns-errors.http.ts. */
export const PLAN_ERROR_MESSAGES = {
  'already-adopted': 'this plan is already recorded',
  'not-adopted': 'the plan must be recorded first',
  'missing-reference': 'the plan id, province, issuing body, number, title and lead agency must not be empty',
  'invalid-date': 'dates must be real calendar dates written as YYYY-MM-DD',
  'date-in-future': 'a plan or an amendment cannot be issued later than today',
  'period-reversed': 'the period must not end before it starts',
  'no-targets': 'a plan needs at least one target',
  'duplicate-indicator': 'each indicator may appear once among the targets',
  'percent-out-of-range': 'a percentage target must be above 0 and at most 100',
  'count-not-positive': 'a count target must be a whole number above 0',
  'missing-denominator': 'a percentage target needs a denominator',
  'no-counted-events': 'a target must name the events that count toward it',
  'district-after-reform': 'district targets exist only in plans issued before 2025-07-01, when districts were abolished',
  'amendment-outside-period': 'an amendment must take effect after the first day of the plan period and not after its last',
  'amendment-date-taken': 'another version of the targets already takes effect on that day',
  'amendment-before-plan': 'an amendment cannot be issued before the plan',
  'unknown-parent-plan': 'no plan with that id is recorded',
  'parent-not-provincial': 'a plan can carry out only a provincial plan of its own province',
  'outside-parent-period': 'a plan under another must lie within its period',
  'district-plan-needs-parent': 'a district plan carries out a provincial plan: name it as parentPlanId',
  'unknown-district': 'the province had no district of that name on the day the plan was issued',
} as const;

export type PlanErrorCode = keyof typeof PLAN_ERROR_MESSAGES;
export type PlanError = DomainError<PlanErrorCode>;
export const planError = domainErrors<PlanErrorCode>(PLAN_ERROR_MESSAGES);
