import { HttpException, HttpStatus } from '@nestjs/common';

/** RFC 9457 media type: every error answer of every service carries it (invariant 4). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** One bad field of a request, by its path in the body (`residence.communeCode`, `items.0.code`). */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** An RFC 9457 problem; extensions (e.g. `errors`, `correlationId`) sit beside the standard members. */
export interface ProblemDetails {
  /** A URI naming the kind of problem; `about:blank` when the status says it all. */
  readonly type: string;
  readonly title: string;
  readonly status: number;
  /** For the client, in plain words. Never an internal message, a stack or personal data. */
  readonly detail?: string;
  readonly correlationId?: string;
  readonly errors?: readonly FieldError[];
  readonly [extension: string]: unknown;
}

const PROBLEM_TYPE_PREFIX = 'urn:haidang:problem:';

/** `urn:haidang:problem:<code>`: stable, machine-readable, not a URL anyone must host. */
export function problemType(code: string): string {
  return `${PROBLEM_TYPE_PREFIX}${code}`;
}

const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function statusTitle(status: number): string {
  return STATUS_TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

export interface ProblemInit {
  readonly status: number;
  /** Short code for `type` (`validation-error`); omitted → `about:blank` and the status phrase as title. */
  readonly code?: string;
  readonly title?: string;
  readonly detail?: string;
  readonly [extension: string]: unknown;
}

/** Builds a problem body; a missing title is the status phrase, as RFC 9457 asks for `about:blank`. */
export function problem(init: ProblemInit): ProblemDetails {
  const { status, code, title, detail, ...extensions } = init;
  if (!Number.isInteger(status) || status < 400 || status > 599) throw new RangeError(`A problem needs a 4xx or 5xx status, got ${status}`);
  return {
    type: code ? problemType(code) : 'about:blank',
    title: title ?? statusTitle(status),
    status,
    ...(detail !== undefined ? { detail } : {}),
    ...extensions,
  };
}

/** 400 naming each bad field. */
export function validationProblem(errors: readonly FieldError[]): ProblemDetails {
  return problem({ status: 400, code: 'validation-error', title: 'The request is not valid', detail: 'One or more fields are invalid.', errors });
}

/** 500 that says nothing of what went wrong: messages and stacks may carry personal data or internals. */
export function internalErrorProblem(): ProblemDetails {
  return problem({
    status: 500,
    code: 'internal-error',
    title: 'Internal Server Error',
    detail: 'The request could not be completed. Quote the correlation id to support.',
  });
}

export function isProblemDetails(value: unknown): value is ProblemDetails {
  if (typeof value !== 'object' || value === null) return false;
  const { type, title, status } = value as Record<string, unknown>;
  return typeof type === 'string' && typeof title === 'string' && typeof status === 'number';
}

/** Throw with a ready problem body: the exception filter sends it as is (adding the correlation id). */
export class ProblemHttpException extends HttpException {
  constructor(readonly problem: ProblemDetails) {
    super(problem, problem.status);
  }
}

/**
 * A rule of the domain refused the command (422), e.g. "post-rehab management cannot start before
 * rehab is completed". The message is shown to the client as `detail`: write it for a caseworker,
 * and never put personal data in it. `rule` is a stable kebab-case code (`rehab-not-completed`).
 *
 * Domain libraries may not import this infra lib; a class of their own named `DomainRuleViolation`
 * with a string `rule` is mapped the same way (see problemFromError).
 */
export class DomainRuleViolation extends Error {
  override readonly name: string = 'DomainRuleViolation';
  readonly httpStatus: number = HttpStatus.UNPROCESSABLE_ENTITY;
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}
