import { IdempotencyKeyReusedError, InvalidAppendError, StreamIntegrityError, StreamNotFoundError, WrongExpectedVersionError } from '@haidang/event-store';
import { RemoteServiceError, ServiceUnavailableError } from '@haidang/messaging';
import { SubjectErasedError } from '@haidang/pii';
import { HttpException, NotFoundException } from '@nestjs/common';
import { DomainRuleViolation, internalErrorProblem, isProblemDetails, problem, statusTitle, type ProblemDetails } from './problem-details';

export interface MappedProblem {
  readonly problem: ProblemDetails;
  /** True when nothing known explains the error: log it (safely) as a server fault. */
  readonly unexpected: boolean;
}

/**
 * The one place where errors become HTTP answers (STYLE: "errors are mapped to HTTP in one place").
 * Messages of infra errors are not echoed: they name streams, SQL or hosts, and may carry input.
 */
export function problemFromError(error: unknown): MappedProblem {
  // A 503 a route throws on purpose (a read model still building) is an answer, not a fault.
  if (error instanceof HttpException) return { problem: problemFromHttpException(error), unexpected: error.getStatus() >= 500 && error.getStatus() !== 503 };
  if (isDomainRuleViolation(error)) {
    return {
      problem: problem({
        status: 422,
        code: 'domain-rule-violation',
        title: 'A rule of the domain refuses this request',
        detail: error.message,
        rule: error.rule,
      }),
      unexpected: false,
    };
  }
  if (error instanceof WrongExpectedVersionError) {
    return {
      problem: problem({
        status: 409,
        code: 'wrong-expected-version',
        title: 'The resource changed since you read it',
        detail: 'Read it again and retry with its current version (If-Match).',
        expectedVersion: String(error.expectedRevision),
        currentVersion: error.actualRevision === 'no_stream' ? null : String(error.actualRevision),
      }),
      unexpected: false,
    };
  }
  if (error instanceof IdempotencyKeyReusedError) {
    return {
      problem: problem({
        status: 422,
        code: 'idempotency-key-reused',
        title: 'The Idempotency-Key was used for a different request',
        detail: 'Use a new Idempotency-Key for a new request.',
      }),
      unexpected: false,
    };
  }
  if (error instanceof InvalidAppendError) {
    return { problem: problem({ status: 400, code: 'invalid-request', title: 'The request cannot be recorded as given' }), unexpected: false };
  }
  if (error instanceof SubjectErasedError) {
    // New personal data about an erased person cannot be recorded (their key is gone): a rule, not a fault.
    return {
      problem: problem({
        status: 422,
        code: 'person-erased',
        title: 'The person’s data was erased',
        detail: 'Nothing new can be recorded about this person’s personal data.',
      }),
      unexpected: false,
    };
  }
  if (error instanceof StreamIntegrityError) {
    // The record's stored history does not verify (tampered): nothing the client did, and no state is
    // served or decided on until it is restored. Not a 500: the refusal is deliberate, and it was
    // already logged as a security event (stream, revision, reason) and counted where it was found.
    return {
      problem: problem({
        status: 503,
        code: 'integrity-check-failed',
        title: 'The record’s history does not verify',
        detail: 'Its stored events fail the tamper-evidence check; nothing was served or recorded. Retry once it is restored.',
      }),
      unexpected: false,
    };
  }
  if (error instanceof StreamNotFoundError) return { problem: problem({ status: 404, code: 'not-found', title: 'Not Found' }), unexpected: false };
  if (error instanceof ServiceUnavailableError) {
    return {
      problem: problem({
        status: error.httpStatus,
        code: 'dependency-unavailable',
        title: 'A service this request needs is unavailable',
        detail: 'Retry later.',
      }),
      unexpected: false,
    };
  }
  if (error instanceof RemoteServiceError) {
    if (error.httpStatus >= 500)
      return { problem: problem({ status: error.httpStatus, code: 'dependency-failed', title: 'A service this request needs failed' }), unexpected: true };
    // A remote refusal: the remote service chose its code and message for a client to read.
    return { problem: problem({ status: error.httpStatus, code: error.code, title: statusTitle(error.httpStatus), detail: error.message }), unexpected: false };
  }
  if (isDatabaseUnavailable(error)) {
    // The database is down or failing over (DESIGN invariant 4: 503 when a dependency is down).
    return {
      problem: problem({
        status: 503,
        code: 'database-unavailable',
        title: 'The database is unavailable',
        detail: 'Nothing was recorded. Retry later with the same Idempotency-Key.',
      }),
      unexpected: false,
    };
  }
  return { problem: internalErrorProblem(), unexpected: true };
}

/** Seconds a client should wait before retrying after a 503 (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 5;

const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// pg reports a lost or never-made connection without a code.
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/;

/**
 * A failure to reach PostgreSQL, not a fault of the request: connection refused or reset, the
 * server shutting down or starting (57P01–57P03), too many connections (53300), any connection
 * exception (SQLSTATE class 08), a pool that timed out connecting.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || UNAVAILABLE_NODE_CODES.has(code))) return true;
  if (error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message)) return true;
  const nested = [
    (error as { cause?: unknown }).cause,
    ...((error as { errors?: unknown }).errors instanceof Array ? (error as { errors: unknown[] }).errors : []),
  ];
  return nested.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}

function problemFromHttpException(exception: HttpException): ProblemDetails {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (isProblemDetails(response)) return response;
  if (status >= 500) return status === 500 ? internalErrorProblem() : problem({ status });
  // Nest's route-not-found message repeats the URL, query string (`?q=<a name>`) included.
  if (exception instanceof NotFoundException && /^Cannot [A-Z]+ /.test(exception.message)) return problem({ status, detail: 'No resource at this path.' });
  if (status === 429) return problem({ status, code: 'rate-limited', title: 'Too Many Requests', detail: 'Too many requests; retry later.' });
  const message = messageOf(response) ?? exception.message;
  const title = statusTitle(status);
  return problem({ status, ...(message && message !== title ? { detail: message } : {}) });
}

function messageOf(response: string | object): string | undefined {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && message.every((item) => typeof item === 'string')) return message.join('; ');
  return undefined;
}

function isDomainRuleViolation(error: unknown): error is Error & { rule: string } {
  if (error instanceof DomainRuleViolation) return true;
  return error instanceof Error && error.name === 'DomainRuleViolation' && typeof (error as { rule?: unknown }).rule === 'string';
}
