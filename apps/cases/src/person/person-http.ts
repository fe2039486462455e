import { problem, ProblemHttpException, validationProblem } from '@haidang/http-platform';
import type { PersonError } from './person.decider';

/** The person's version as an HTTP entity tag (strong, quoted). */
export const etagOf = (version: number): string => `"${version}"`;

/**
 * `If-Match` → the version the client decided on. Required on changes to an existing person:
 * missing is 428, unreadable is 400 (invariant 2).
 */
export function versionFromIfMatch(header: string | undefined): number {
  if (header === undefined || header.trim() === '') {
    throw new ProblemHttpException(problem({ status: 428, code: 'precondition-required', detail: 'Send If-Match with the ETag of the person you read.' }));
  }
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(header.trim());
  if (!match?.[1]) throw new ProblemHttpException(validationProblem([{ field: 'If-Match', message: 'If-Match must be an ETag this service returned, e.g. "0"' }]));
  return Number(match[1]);
}

export function staleVersion(): ProblemHttpException {
  return new ProblemHttpException(problem({ status: 409, code: 'version-conflict', detail: 'The person changed since you read it. Read it again and retry.' }));
}

export function notFound(): ProblemHttpException {
  return new ProblemHttpException(problem({ status: 404, code: 'not-found', detail: 'No such person.' }));
}

/** The decider's named errors → HTTP, in one place. */
export function personErrorToHttp(error: PersonError): ProblemHttpException {
  switch (error) {
    case 'person-not-found':
      return notFound();
    case 'person-already-registered':
      return new ProblemHttpException(problem({ status: 409, code: 'already-registered', detail: 'This person is already registered.' }));
    case 'person-already-erased':
      return new ProblemHttpException(problem({ status: 409, code: 'already-erased', detail: 'This person’s personal data has already been erased.' }));
  }
}

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
