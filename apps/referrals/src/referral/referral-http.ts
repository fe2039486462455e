import { problem, ProblemHttpException, validationProblem } from '@haidang/http-platform';
import type { DomainError } from './domain';

/** The referral's version as an HTTP entity tag (strong, quoted). */
export const etagOf = (version: number): string => `"${version}"`;

/**
 * `If-Match` → the version the client decided on. Required on every change to an existing
 * referral: missing is 428, unreadable is 400 (invariant 2).
 */
export function versionFromIfMatch(header: string | undefined): number {
  if (header === undefined || header.trim() === '') {
    throw new ProblemHttpException(problem({ status: 428, code: 'precondition-required', detail: 'Send If-Match with the ETag of the referral you read.' }));
  }
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(header.trim());
  if (!match?.[1]) throw new ProblemHttpException(validationProblem([{ field: 'If-Match', message: 'If-Match must be an ETag this service returned, e.g. "0"' }]));
  return Number(match[1]);
}

export function staleVersion(): ProblemHttpException {
  return new ProblemHttpException(problem({ status: 409, code: 'version-conflict', detail: 'The referral changed since you read it. Read it again and retry.' }));
}

/** Also the answer to an agency that is no party to the referral: its existence is not revealed. */
export function referralNotFound(): ProblemHttpException {
  return new ProblemHttpException(problem({ status: 404, code: 'not-found', detail: 'No such referral.' }));
}

/**
 * The decider's named errors → HTTP, in one place: the status the domain gives each rule (403 not
 * the party the rule names, 404, 409, 422 a broken rule) with its plain-words message.
 */
export function domainErrorToHttp(error: DomainError): ProblemHttpException {
  return new ProblemHttpException(problem({ status: error.status, code: error.code, detail: capitalise(error.message) }));
}

const capitalise = (text: string): string => (text === '' ? text : `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}.`);

/** Idempotency keys: visible ASCII, bounded, so they are safe to store and compare. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

export function idempotencyKeyFrom(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) throw new ProblemHttpException(validationProblem([{ field: 'Idempotency-Key', message: 'Idempotency-Key must be 8–128 characters: letters, digits, . _ : -' }]));
  return header;
}

/** The one thing controllers need of the response: setting headers (no dependency on Express's types). */
export interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}
