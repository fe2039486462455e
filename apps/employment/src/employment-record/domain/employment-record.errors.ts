import { domainErrors, type DomainError } from '@haidang/decider';

/**
 * Named domain errors, one list: a stable code and plain words for the officer who sent the command.
 * No status here (employment-errors.http.ts maps codes to HTTP) and never personal data in a message.
 */
export const EMPLOYMENT_RECORD_ERROR_MESSAGES = {
  'already-open': 'this employment record is already open',
  'record-not-open': 'the employment record must be opened first',
  'record-closed': 'the employment record is closed and cannot change',
  'missing-reference': 'the record, person and province references must not be empty',
  'unknown-code': 'a code is not one of the list',
  'reason-required': 'a need of NOT_NOW takes a reason code, and only it does',
  'invalid-date': 'dates must be real calendar dates written as YYYY-MM-DD',
  'date-in-future': 'a date cannot be later than today',
  'before-opening': 'nothing can be recorded before the day the record was opened',
  'residence-already-known': 'the commune of residence is already recorded',
  'residence-in-another-province': 'the commune of residence must lie in the record’s province',
  'empty-text': 'a required text must not be empty',
  'duplicate-id': 'that session, enrolment or placement id is already used in this record',
  'unknown-provider': 'no training provider with that id is in the register',
  'provider-closed': 'the training provider’s register entry is closed: it takes no new enrolment',
  'end-before-start': 'the expected end must be after the start',
  'already-in-training': 'the person is already enrolled in a training that has not ended',
  'unknown-enrolment': 'no enrolment with that id in this record',
  'enrolment-ended': 'the enrolment has already ended (completed or dropped out)',
  'before-training-start': 'a training cannot end before it started',
  'unknown-employer': 'no employer with that id is in the register',
  'employer-closed': 'the employer’s register entry is closed: no new job can start there',
  'already-working': 'the person has a job that has not ended; record leaving it first',
  'unknown-placement': 'no placement with that id in this record',
  'job-ended': 'the person has left this job',
  'not-a-follow-up': 'no follow-up is scheduled at that month for this job',
  'follow-up-recorded': 'this follow-up is already recorded',
  'follow-up-too-early': 'a follow-up can be recorded at the earliest 10 working days before it is due',
  'before-job-start': 'nothing about a job can be dated before it started',
  'training-in-progress': 'a record cannot be closed while a training is in progress',
} as const;

export type EmploymentRecordErrorCode = keyof typeof EMPLOYMENT_RECORD_ERROR_MESSAGES;

export type EmploymentRecordError = DomainError<EmploymentRecordErrorCode>;

export const employmentRecordError = domainErrors<EmploymentRecordErrorCode>(EMPLOYMENT_RECORD_ERROR_MESSAGES);
