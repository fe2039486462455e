import { domainErrors, type DomainError } from '@haidang/decider';

export const ESTABLISHMENT_ERROR_MESSAGES = {
  'already-registered': 'this establishment is already registered',
  'not-registered': 'the establishment must be registered first',
  'already-closed': 'the establishment is closed',
  'missing-reference': 'the id, name, commune and province must not be empty',
  'invalid-date': 'dates must be real calendar dates written as YYYY-MM-DD',
  'date-in-future': 'a date cannot be later than today',
  'school-level': 'a school needs its level, and only a school has one',
  'closed-before-opened': 'an establishment cannot close before it opened',
} as const;

export type EstablishmentErrorCode = keyof typeof ESTABLISHMENT_ERROR_MESSAGES;
export type EstablishmentError = DomainError<EstablishmentErrorCode>;
export const establishmentError = domainErrors<EstablishmentErrorCode>(ESTABLISHMENT_ERROR_MESSAGES);
