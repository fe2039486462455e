import { domainErrors, type DomainError } from '@haidang/decider';

/**
 * Named domain errors, one list: a stable code and plain words for the officer who sent the command.
 * No status here (campaigns-errors.http.ts maps codes to HTTP) and never personal data in a message.
 */
export const ACTIVITY_ERROR_MESSAGES = {
  'already-registered': 'this activity is already registered',
  'not-registered': 'the activity must be registered first',
  'already-closed': 'the activity is closed and cannot change',
  'missing-reference': 'the record, commune and province references must not be empty',
  'invalid-date': 'dates must be real calendar dates written as YYYY-MM-DD',
  'date-in-future': 'a date cannot be later than today',
  'closed-before-registered': 'a activity cannot be closed before the day it was registered',
  'empty-note': 'the note must not be empty',
} as const;

export type ActivityErrorCode = keyof typeof ACTIVITY_ERROR_MESSAGES;

export type ActivityError = DomainError<ActivityErrorCode>;

export const activityError = domainErrors<ActivityErrorCode>(ACTIVITY_ERROR_MESSAGES);
