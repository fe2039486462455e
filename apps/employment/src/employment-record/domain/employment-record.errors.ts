import { domainErrors, type DomainError } from '@haidang/decider';

/**
 * Named domain errors, one list: a stable code and plain words for the officer who sent the command.
 * No status here (employment-errors.http.ts maps codes to HTTP) and never personal data in a message.
 */
export const EMPLOYMENT_RECORD_ERROR_MESSAGES = {
  'already-registered': 'this employment record is already registered',
  'not-registered': 'the employment record must be registered first',
  'already-closed': 'the employment record is closed and cannot change',
  'missing-reference': 'the record, commune and province references must not be empty',
  'invalid-date': 'dates must be real calendar dates written as YYYY-MM-DD',
  'date-in-future': 'a date cannot be later than today',
  'closed-before-registered': 'a employment record cannot be closed before the day it was registered',
  'empty-note': 'the note must not be empty',
} as const;

export type EmploymentRecordErrorCode = keyof typeof EMPLOYMENT_RECORD_ERROR_MESSAGES;

export type EmploymentRecordError = DomainError<EmploymentRecordErrorCode>;

export const employmentRecordError = domainErrors<EmploymentRecordErrorCode>(EMPLOYMENT_RECORD_ERROR_MESSAGES);
