import { domainErrors, type DomainError } from '@haidang/decider';

/**
 * Named domain errors, one list: a stable code and plain words for the officer who sent the command.
 * No status here (cross-border-errors.http.ts maps codes to HTTP) and never personal data in a message.
 */
export const COOPERATION_RECORD_ERROR_MESSAGES = {
  'already-registered': 'this cooperation record is already registered',
  'not-registered': 'the cooperation record must be registered first',
  'record-sealed': 'the record is sealed (co-signed with the counterpart) and can no longer change; register a new record that corrects it',
  'invalid-date': 'dates must be real calendar dates written as YYYY-MM-DD',
  'date-in-future': 'a date cannot be later than today',
  'empty-text': 'the Vietnamese title and text must not be empty',
  'unknown-code': 'a border crossing or counterpart unit is not in the register',
  'crossing-required': 'a handover names the border crossing where it took place',
  'crossing-of-other-province': 'the border crossing is not in the province of the record',
  'details-of-other-kind': 'the details do not match the kind of record',
  'persons-outside-handover': 'only a handover names persons',
  'too-many-persons': 'a handover cannot name more persons than its count',
  'support-not-applicable': 'support is asked only for a trafficking victim or a returned citizen received from China',
  'support-incomplete':
    'asking for support needs the agency asked (or the needs, each with its agency) and the sex, date of birth and home commune and address cases registers the person with',
  'minutes-before-handover': 'the minutes cannot be signed before the handover took place',
  'marker-range': 'a patrol names the border markers it started and ended at',
  'empty-case': 'a joint case records at least one arrest or seizure, each with a positive number',
  'period-reversed': 'a period cannot end before it starts',
  'empty-summary': 'a period summary holds at least one figure, each a known category with a number of zero or more',
  'no-reply-asked': 'this information exchange asked for no reply',
  'reply-already-received': 'the reply was already recorded',
  'reply-before-exchange': 'a reply cannot come before the exchange',
  'translation-required': 'the Chinese text and the translator are required before the counterpart co-signs',
  'translation-incomplete': 'every agreed point needs its Chinese wording',
  'correction-target-missing': 'the record to correct does not exist',
  'correction-target-not-sealed': 'only a sealed record is corrected by a new record; change an unsealed one instead',
  'correction-of-other-kind': 'a correction keeps the kind and province of the record it corrects',
} as const;

export type CooperationRecordErrorCode = keyof typeof COOPERATION_RECORD_ERROR_MESSAGES;

export type CooperationRecordError = DomainError<CooperationRecordErrorCode>;

export const cooperationRecordError = domainErrors<CooperationRecordErrorCode>(COOPERATION_RECORD_ERROR_MESSAGES);
