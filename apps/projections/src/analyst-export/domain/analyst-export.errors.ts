import { domainErrors, type DomainError } from '@haidang/decider';

/**
 * Named domain errors, one list: a stable code and plain words for the officer who sent the command.
 * No status here (projections-errors.http.ts maps codes to HTTP) and never personal data in a message.
 */
export const ANALYST_EXPORT_ERROR_MESSAGES = {
  'already-registered': 'this analyst export is already registered',
  'not-registered': 'the analyst export must be registered first',
  'already-closed': 'the analyst export is closed and cannot change',
  'missing-reference': 'the record, commune and province references must not be empty',
  'invalid-date': 'dates must be real calendar dates written as YYYY-MM-DD',
  'date-in-future': 'a date cannot be later than today',
  'closed-before-registered': 'a analyst export cannot be closed before the day it was registered',
  'empty-note': 'the note must not be empty',
} as const;

export type AnalystExportErrorCode = keyof typeof ANALYST_EXPORT_ERROR_MESSAGES;

export type AnalystExportError = DomainError<AnalystExportErrorCode>;

export const analystExportError = domainErrors<AnalystExportErrorCode>(ANALYST_EXPORT_ERROR_MESSAGES);
