import { domainErrors, type DomainError } from '@haidang/decider';

/** Named domain errors of a support model; statuses are in campaigns-errors.http.ts. */
export const SUPPORT_MODEL_ERROR_MESSAGES = {
  'already-founded': 'a support model with this code is already recorded',
  'not-founded': 'the support model must be recorded first',
  'missing-reference': 'the model id, code, name and commune must not be empty',
  'invalid-code': 'the model code must be <province>-SUPPORT_MODEL-<n> in the province of its commune',
  'invalid-date': 'dates must be real calendar dates written as YYYY-MM-DD',
  'date-in-future': 'a date cannot be later than today',
  'already-inactive': 'the support model is already inactive',
  'already-active': 'the support model is active',
  'before-founded': 'a date of the model cannot be before it was founded',
  'before-deactivated': 'a model cannot be reactivated before the day it was deactivated',
  'period-reversed': 'the period must not end before it starts',
  'model-inactive': 'an inactive model logs nothing for a period that starts after it was deactivated',
  'invalid-count': 'counts must be whole numbers, 0 or more',
} as const;

export type SupportModelErrorCode = keyof typeof SUPPORT_MODEL_ERROR_MESSAGES;
export type SupportModelError = DomainError<SupportModelErrorCode>;
export const supportModelError = domainErrors<SupportModelErrorCode>(SUPPORT_MODEL_ERROR_MESSAGES);
