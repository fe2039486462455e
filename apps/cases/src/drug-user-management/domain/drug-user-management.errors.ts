import { domainErrors, type DomainError } from '@haidang/decider';

/** Plain-words errors of the management of an illegal drug user (HTTP 422), never with personal data. */
export const DRUG_USER_MANAGEMENT_ERROR_MESSAGES = {
  'already-decided': 'management of this person has already been decided under this record',
  'not-decided': 'the management must be decided first',
  'missing-reference': 'the management and person references must not be empty',
  'invalid-date': 'dates must be real calendar dates written as YYYY-MM-DD',
  'date-in-future': 'a date cannot be later than today',
  'date-before-previous-event': 'a date cannot be earlier than the dates already recorded on this management',
  'decision-number-missing': 'the decision number must not be empty',
  'no-legal-regime': 'no law in the table covers a decision of that date',
  'wrong-issuing-body': 'management of an illegal drug user is decided by the chair of the commune People’s Committee where the person lives',
  'under-minimum-age': 'management of illegal drug users applies from full 12 years of age on the decision date',
  'test-before-decision': 'the positive test the management rests on cannot be dated after the decision',
  'start-before-decision': 'management cannot start before the date of the decision',
  'not-in-progress': 'the management has ended and cannot change',
  'end-before-term': 'the management cannot end before its term is over; end it early with a reason instead',
  'reason-not-allowed': 'that is not a ground for ending management early under the law that applies',
} as const;

export type DrugUserManagementErrorCode = keyof typeof DRUG_USER_MANAGEMENT_ERROR_MESSAGES;

export const drugUserManagementError = domainErrors<DrugUserManagementErrorCode>(DRUG_USER_MANAGEMENT_ERROR_MESSAGES);

export type DrugUserManagementError = DomainError<DrugUserManagementErrorCode>;
