import { problem, ProblemHttpException, validationProblem } from '@haidang/http-platform';
import type { DomainError } from './domain';

/** The case's version as an HTTP entity tag (strong, quoted). */
export const etagOf = (version: number): string => `"${version}"`;

/**
 * `If-Match` → the version the client decided on. Required on every change to an existing case:
 * missing is 428, unreadable is 400 (invariant 2).
 */
export function versionFromIfMatch(header: string | undefined): number {
  if (header === undefined || header.trim() === '') {
    throw new ProblemHttpException(problem({ status: 428, code: 'precondition-required', detail: 'Send If-Match with the ETag of the rehab case you read.' }));
  }
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(header.trim());
  if (!match?.[1]) throw new ProblemHttpException(validationProblem([{ field: 'If-Match', message: 'If-Match must be an ETag this service returned, e.g. "1"' }]));
  return Number(match[1]);
}

export function staleVersion(): ProblemHttpException {
  return new ProblemHttpException(problem({ status: 409, code: 'version-conflict', detail: 'The rehab case changed since you read it. Read it again and retry.' }));
}

export function caseNotFound(): ProblemHttpException {
  return new ProblemHttpException(problem({ status: 404, code: 'not-found', detail: 'No such rehab case.' }));
}

export function personNotFound(): ProblemHttpException {
  return new ProblemHttpException(problem({ status: 404, code: 'person-not-found', detail: 'No such person.' }));
}

/** Every broken rule of the decider is a 422 carrying its plain-words message (no personal data in it). */
export function domainErrorToHttp(error: DomainError): ProblemHttpException {
  return new ProblemHttpException(problem({ status: 422, code: error.code, detail: error.message }));
}

/** Idempotency keys: visible ASCII, bounded, so they are safe to store and compare. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

export function idempotencyKeyFrom(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) throw new ProblemHttpException(validationProblem([{ field: 'Idempotency-Key', message: 'Idempotency-Key must be 8–128 characters: letters, digits, . _ : -' }]));
  return header;
}

export type { HeaderSink } from '../person/person-http';
