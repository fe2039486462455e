import { HttpException } from '@nestjs/common';

/**
 * An RFC 9457 problem body. Details are fixed phrases chosen here, never built from the token or
 * its claims: a refusal must not tell a caller (or a log) who the token said they were.
 */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
}

/** Why a token was refused; kept for tests and metrics, never put in a response. */
export type AuthenticationFailure =
  'missing' | 'malformed' | 'invalid-signature' | 'expired' | 'not-yet-valid' | 'wrong-issuer' | 'wrong-audience' | 'invalid-claims' | 'invalid';

const UNAUTHENTICATED_DETAIL: Record<AuthenticationFailure, string> = {
  missing: 'A bearer token is required.',
  malformed: 'The bearer token is not valid.',
  'invalid-signature': 'The bearer token is not valid.',
  expired: 'The bearer token has expired.',
  'not-yet-valid': 'The bearer token is not valid yet.',
  'wrong-issuer': 'The bearer token is not valid.',
  'wrong-audience': 'The bearer token is not valid.',
  'invalid-claims': 'The bearer token is not valid.',
  invalid: 'The bearer token is not valid.',
};

/**
 * 401. An HttpException so that any Nest exception filter renders its problem body, and with a 4xx
 * `status` and a `code` so that `@haidang/messaging`'s RemoteErrorFilter answers a NATS caller
 * with the same refusal.
 */
export class UnauthenticatedError extends HttpException {
  override readonly name = 'UnauthenticatedError';
  readonly code = 'unauthenticated';

  constructor(readonly reason: AuthenticationFailure) {
    const problem: ProblemDetails = { type: 'about:blank', title: 'Unauthorized', status: 401, detail: UNAUTHENTICATED_DETAIL[reason] };
    super(problem, 401);
    this.message = problem.detail;
  }

  get problem(): ProblemDetails {
    return this.getResponse() as ProblemDetails;
  }
}

/** Why a principal was refused; the response says only the coarse part of it. */
export type AccessDenial = 'no-policy' | 'unknown-action' | 'agency-type' | 'role' | 'out-of-scope' | 'aggregates-only' | 'agency-dissolved';

const FORBIDDEN_DETAIL: Record<AccessDenial, string> = {
  'no-policy': 'This operation is not open to any principal.',
  'unknown-action': 'This operation is not open to any principal.',
  'agency-type': 'Your agency may not perform this operation.',
  role: 'Your roles do not allow this operation.',
  'out-of-scope': 'The resource is outside your jurisdiction.',
  'aggregates-only': 'Only aggregate data is available to your agency for this operation.',
  'agency-dissolved':
    'Your type of agency no longer exists on this date: its functions moved to other agencies in the 2025 reorganisation. Use an account of the agency that holds them now.',
};

/** 403, rendered and carried like UnauthenticatedError. */
export class AccessDeniedError extends HttpException {
  override readonly name = 'AccessDeniedError';
  readonly code = 'forbidden';

  constructor(readonly reason: AccessDenial) {
    // A dissolved agency type gets its own problem type, so that clients can tell it from a missing grant.
    const type = reason === 'agency-dissolved' ? 'urn:haidang:problem:agency-dissolved' : 'about:blank';
    const problem: ProblemDetails = { type, title: 'Forbidden', status: 403, detail: FORBIDDEN_DETAIL[reason] };
    super(problem, 403);
    this.message = problem.detail;
  }

  get problem(): ProblemDetails {
    return this.getResponse() as ProblemDetails;
  }
}
