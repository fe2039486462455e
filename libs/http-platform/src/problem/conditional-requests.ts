import { problem, ProblemHttpException, validationProblem } from './problem-details';

/**
 * Optimistic concurrency and idempotency over HTTP (invariants 2 and 3), the same in every service:
 * reads answer a version as a strong `ETag`, changes carry it back in `If-Match`, POSTs may carry an
 * `Idempotency-Key`. Only the name of the resource in the messages differs.
 */

/** A version as an HTTP entity tag (strong, quoted). */
export const etagOf = (version: number): string => `"${version}"`;

/**
 * `If-Match` → the version the client decided on. Required on every change to an existing
 * resource: missing is 428, unreadable is 400.
 */
export function versionFromIfMatch(header: string | undefined, resource: { readonly name: string; readonly exampleVersion: number }): number {
  if (header === undefined || header.trim() === '') {
    throw new ProblemHttpException(
      problem({ status: 428, code: 'precondition-required', detail: `Send If-Match with the ETag of the ${resource.name} you read.` }),
    );
  }
  const value = header.trim();
  // If-Match compares strongly (RFC 9110 §13.1.1): a weak tag never matches, so the precondition
  // is false whatever the version. 412 says so; 409 would send the client to re-read for nothing.
  if (/^W\//i.test(value)) {
    throw new ProblemHttpException(
      problem({
        status: 412,
        code: 'weak-etag',
        title: 'If-Match needs a strong entity tag',
        detail: `A weak ETag (W/"…") never matches in If-Match. Send the ETag of the ${resource.name} as it was returned, e.g. "${resource.exampleVersion}".`,
      }),
    );
  }
  const match = /^"?(\d{1,15})"?$/.exec(value);
  if (!match?.[1]) {
    throw new ProblemHttpException(
      validationProblem([{ field: 'If-Match', message: `If-Match must be an ETag this service returned, e.g. "${resource.exampleVersion}"` }]),
    );
  }
  return Number(match[1]);
}

/** 409: the resource moved on since the version the client sent. */
export function versionConflict(resourceName: string): ProblemHttpException {
  return new ProblemHttpException(
    problem({ status: 409, code: 'version-conflict', detail: `The ${resourceName} changed since you read it. Read it again and retry.` }),
  );
}

/** Idempotency keys: visible ASCII, bounded, so they are safe to store and compare. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

export function idempotencyKeyFrom(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new ProblemHttpException(
      validationProblem([{ field: 'Idempotency-Key', message: 'Idempotency-Key must be 8–128 characters: letters, digits, . _ : -' }]),
    );
  }
  return header;
}

/** The one thing controllers need of the response: setting headers (no dependency on Express's types). */
export interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}
