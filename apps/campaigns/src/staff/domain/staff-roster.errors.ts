import { domainErrors, type DomainError } from '@haidang/decider';

export const STAFF_ROSTER_ERROR_MESSAGES = {
  'already-registered': 'this agency’s staff of that group are already in the register: record a new count instead',
  'not-registered': 'no such entry in the staff register',
  'missing-reference': 'the roster id, province and agency must not be empty',
  'unknown-group': 'the staff group is not one of the list',
  'agency-in-another-province': 'the agency must be one of the register’s province',
  'invalid-count': 'a headcount is a whole number from 0 to 100000',
  'invalid-date': 'dates must be real calendar dates written as YYYY-MM-DD',
  'date-in-future': 'a count cannot be dated later than today',
  'count-not-after-last': 'a new count must date from after the last one',
  'agency-not-holder': 'on that date the recording department did not hold social-evils prevention',
} as const;

export type StaffRosterErrorCode = keyof typeof STAFF_ROSTER_ERROR_MESSAGES;
export type StaffRosterError = DomainError<StaffRosterErrorCode>;
export const staffRosterError = domainErrors<StaffRosterErrorCode>(STAFF_ROSTER_ERROR_MESSAGES);
