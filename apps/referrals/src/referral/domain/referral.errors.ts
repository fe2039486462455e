/**
 * Named domain errors with the HTTP status the service answers with and a plain-words message for
 * the officer who sent the command. Messages never echo personal data.
 * - 422: a rule of the domain was broken;
 * - 409: the referral already exists (a repeated create with another body);
 * - 404: the referral does not exist;
 * - 403: the acting agency is not the party the rule names (sender, receiver).
 */
export const REFERRAL_ERRORS = {
  'referral-already-exists': { status: 409, message: 'a referral with this id already exists' },
  'referral-not-found': { status: 404, message: 'no such referral' },
  'not-the-sender': { status: 403, message: 'only the agency that made the referral can do this' },
  'not-the-receiver': { status: 403, message: 'only the agency the referral is currently with can do this' },
  'not-a-party': { status: 403, message: 'only the sender or the current receiver can record this' },
  'missing-reference': { status: 422, message: 'the referral and person references must not be empty' },
  'unknown-agency': { status: 422, message: 'agency codes must read <province>-<TYPE>[-<n>] with a known agency type' },
  'unknown-service-type': { status: 422, message: 'the service type is not in the referral catalogue' },
  'unknown-urgency': { status: 422, message: 'urgency must be NORMAL or HIGH' },
  'empty-reason': { status: 422, message: 'a referral must say why the person is referred' },
  'referral-to-self': { status: 422, message: 'an agency cannot refer a person to itself' },
  'receiver-cannot-provide-service': { status: 422, message: 'this type of agency does not provide the requested service' },
  'treatment-data-not-allowed': { status: 422, message: 'treatment data may only be shared for health-related services' },
  'invalid-date': { status: 422, message: 'dates must be real calendar dates written as YYYY-MM-DD' },
  'date-in-future': { status: 422, message: 'a date cannot be later than today' },
  'date-before-previous-event': { status: 422, message: 'the referral already has a later date recorded; check the clock' },
  'due-date-in-past': { status: 422, message: 'the due date cannot be before today' },
  'consent-or-legal-basis-required': {
    status: 422,
    message: "sharing a person's data with a non-state agency needs the person's recorded consent or a legal basis",
  },
  'consent-not-given': { status: 422, message: 'the person did not give consent; a non-state agency cannot receive the referral without a legal basis' },
  'consent-scope-does-not-cover-service': { status: 422, message: "the person's consent does not cover this service" },
  'consent-scope-does-not-cover-treatment-data': { status: 422, message: "the person's consent does not cover sharing treatment data" },
  'consent-withdrawn': {
    status: 422,
    message: 'the person withdrew consent: their data cannot be shared further with a non-state agency without a legal basis',
  },
  'consent-already-withdrawn': { status: 422, message: 'the consent on this referral was already withdrawn; a new consent needs a new referral' },
  'no-consent-to-withdraw': { status: 422, message: 'no consent is recorded on this referral, so none can be withdrawn' },
  'consent-withdrawn-before-recorded': { status: 422, message: 'consent cannot be withdrawn before the day it was recorded' },
  'decision-number-missing': { status: 422, message: 'the legal basis needs a decision number' },
  'law-article-missing': { status: 422, message: 'the legal basis needs the article of law it applies' },
  'receiver-required': { status: 422, message: 'choose the agency to send the referral to' },
  'not-a-draft': { status: 422, message: 'only a draft referral can be sent; this one was already sent' },
  'referral-closed': { status: 422, message: 'the referral was declined, withdrawn or completed and cannot change' },
  'referral-not-pending': { status: 422, message: 'only a sent referral waiting for an answer can be accepted, declined or redirected' },
  'referral-not-accepted': { status: 422, message: 'only an accepted referral can be completed' },
  'withdraw-after-acceptance': { status: 422, message: 'an accepted referral cannot be withdrawn; the receiver closes it with an outcome' },
  'decline-reason-required': { status: 422, message: 'a decline needs a reason code: CLIENT_REFUSED, NOT_ELIGIBLE, NO_CAPACITY, WRONG_SERVICE or OTHER' },
  'decline-note-required': { status: 422, message: 'a decline for another reason (OTHER) needs a short explanation' },
  'redirect-to-current-receiver': { status: 422, message: 'the referral is already with that agency' },
  'redirect-to-sender': { status: 422, message: 'a referral cannot be redirected back to its sender; decline it instead' },
  'redirect-to-earlier-receiver': { status: 422, message: 'the referral was already with that agency; it cannot go round in a circle' },
  'unknown-outcome': { status: 422, message: 'the outcome must be one of the outcome codes' },
} as const satisfies Record<string, { readonly status: 403 | 404 | 409 | 422; readonly message: string }>;

export type ReferralErrorCode = keyof typeof REFERRAL_ERRORS;

export interface DomainError {
  readonly kind: 'DomainError';
  readonly code: ReferralErrorCode;
  readonly status: 403 | 404 | 409 | 422;
  readonly message: string;
}

export function domainError(code: ReferralErrorCode, detail?: string): DomainError {
  const { status, message } = REFERRAL_ERRORS[code];
  return { kind: 'DomainError', code, status, message: detail ? `${message} (${detail})` : message };
}

export function isDomainError(value: unknown): value is DomainError {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'DomainError';
}
