import type { DomainError as NamedDomainError } from '@haidang/decider';

/**
 * Named domain errors: a stable code and a plain-words message for the officer who sent the
 * command. Messages never echo personal data. No HTTP here: the service's one table
 * (referral-errors.http.ts) says which status each code answers with.
 */
export const REFERRAL_ERRORS = {
  'referral-already-exists': { message: 'a referral with this id already exists' },
  'referral-not-found': { message: 'no such referral' },
  'not-the-sender': { message: 'only the agency that made the referral can do this' },
  'not-the-receiver': { message: 'only the agency the referral is currently with can do this' },
  'not-a-party': { message: 'only the sender or the current receiver can record this' },
  'missing-reference': { message: 'the referral and person references must not be empty' },
  'unknown-agency': { message: 'agency codes must read <province>-<TYPE>[-<n>] with a known agency type' },
  'unknown-service-type': { message: 'the service type is not in the referral catalogue' },
  'unknown-urgency': { message: 'urgency must be NORMAL or HIGH' },
  'empty-reason': { message: 'a referral must say why the person is referred' },
  'referral-to-self': { message: 'an agency cannot refer a person to itself' },
  'receiver-cannot-provide-service': { message: 'this type of agency does not provide the requested service on this date' },
  'agency-dissolved': {
    message: 'this type of agency no longer exists on this date (the 2025 reorganisation moved its functions); use the agency that holds them now',
  },
  'treatment-data-not-allowed': { message: 'treatment data may only be shared for health-related services' },
  'invalid-date': { message: 'dates must be real calendar dates written as YYYY-MM-DD' },
  'date-in-future': { message: 'a date cannot be later than today' },
  'date-before-previous-event': { message: 'the referral already has a later date recorded; check the clock' },
  'due-date-in-past': { message: 'the due date cannot be before today' },
  'consent-or-legal-basis-required': {
    message: "sharing a person's data with a non-state agency needs the person's recorded consent or a legal basis",
  },
  'consent-not-given': { message: 'the person did not give consent; a non-state agency cannot receive the referral without a legal basis' },
  'consent-scope-does-not-cover-service': { message: "the person's consent does not cover this service" },
  'consent-scope-does-not-cover-treatment-data': { message: "the person's consent does not cover sharing treatment data" },
  'consent-withdrawn': {
    message: 'the person withdrew consent: their data cannot be shared further with a non-state agency without a legal basis',
  },
  'consent-already-withdrawn': { message: 'the consent on this referral was already withdrawn; a new consent needs a new referral' },
  'no-consent-to-withdraw': { message: 'no consent is recorded on this referral, so none can be withdrawn' },
  'consent-withdrawn-before-recorded': { message: 'consent cannot be withdrawn before the day it was recorded' },
  'decision-number-missing': { message: 'the legal basis needs a decision number' },
  'law-article-missing': { message: 'the legal basis needs the article of law it applies' },
  'receiver-required': { message: 'choose the agency to send the referral to' },
  'not-a-draft': { message: 'only a draft referral can be sent; this one was already sent' },
  'referral-closed': { message: 'the referral was declined, withdrawn or completed and cannot change' },
  'referral-not-pending': { message: 'only a sent referral waiting for an answer can be accepted, declined or redirected' },
  'referral-not-accepted': { message: 'only an accepted referral can be completed' },
  'withdraw-after-acceptance': { message: 'an accepted referral cannot be withdrawn; the receiver closes it with an outcome' },
  'decline-reason-required': { message: 'a decline needs a reason code: CLIENT_REFUSED, NOT_ELIGIBLE, NO_CAPACITY, WRONG_SERVICE or OTHER' },
  'decline-note-required': { message: 'a decline for another reason (OTHER) needs a short explanation' },
  'redirect-to-current-receiver': { message: 'the referral is already with that agency' },
  'redirect-to-sender': { message: 'a referral cannot be redirected back to its sender; decline it instead' },
  'redirect-to-earlier-receiver': { message: 'the referral was already with that agency; it cannot go round in a circle' },
  'unknown-outcome': { message: 'the outcome must be one of the outcome codes' },
  'reason-code-required': {
    message:
      'this receiver may not read the free-text reason (a non-state agency without consent to treatment data or a legal basis): give a reasonCode from the list of the service type; the receiver sees only the code',
  },
  'reason-code-not-for-service': { message: 'the reasonCode is not one of the reason codes of this service type' },
  'reason-code-already-recorded': { message: 'the referral already has a coded reason; only its sender chooses it' },
} as const satisfies Record<string, { readonly message: string }>;

export type ReferralErrorCode = keyof typeof REFERRAL_ERRORS;

/** The one shape of a domain error (@haidang/decider), with the referral's codes. */
export type DomainError = NamedDomainError<ReferralErrorCode>;

export function domainError(code: ReferralErrorCode, detail?: string): DomainError {
  const { message } = REFERRAL_ERRORS[code];
  return { kind: 'DomainError', code, message: detail ? `${message} (${detail})` : message };
}

export function isDomainError(value: unknown): value is DomainError {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'DomainError';
}
