import { domainErrors, type DomainError } from '@haidang/decider';

/** Named domain errors of an activity: a stable code and plain words; statuses are in campaigns-errors.http.ts. */
export const ACTIVITY_ERROR_MESSAGES = {
  'already-recorded': 'this activity is already recorded',
  'not-recorded': 'the activity must be recorded first',
  'already-withdrawn': 'the activity is withdrawn and cannot change',
  'missing-reference': 'the activity id, province and organiser must not be empty',
  'invalid-date': 'dates must be real calendar dates written as YYYY-MM-DD',
  'date-in-future': 'a date cannot be later than today',
  'no-commune': 'an activity held in a place needs at least one commune',
  'duplicate-commune': 'each commune may be named once',
  'venue-form-mismatch': 'articles and social media take the venue MEDIA, and only they do',
  'article-details': 'an article needs its outlet, title and URL, and only an article has them',
  'invalid-audience-count': 'the audience count must be a whole number, 0 or more',
  'outside-campaign-month': 'the activity was not held during the action month it names',
  'outside-plan-period': 'the activity was not held within the period of the plan it names',
  'unknown-plan': 'no plan has that id',
  'agency-not-holder': 'on that date the recording department did not hold social-evils prevention',
  'unknown-establishment': 'every zone or school named must be registered, open, and in the province of the activity',
  'establishment-venue-mismatch': 'an activity in a zone or school names it, of the kind of its venue, and only such an activity names one',
  'withdrawn-before-held': 'an activity cannot be withdrawn before the day it was held',
} as const;

export type ActivityErrorCode = keyof typeof ACTIVITY_ERROR_MESSAGES;
export type ActivityError = DomainError<ActivityErrorCode>;
export const activityError = domainErrors<ActivityErrorCode>(ACTIVITY_ERROR_MESSAGES);
