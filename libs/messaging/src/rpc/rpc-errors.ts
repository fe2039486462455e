import { IdempotencyKeyReusedError, InvalidAppendError, StreamNotFoundError, WrongExpectedVersionError } from '@haidang/event-store';
import { Catch, HttpException, Logger, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';

/** The error answer of a service call: a domain refusal the caller turns into the same 4xx. */
export interface RemoteErrorBody {
  readonly type: 'haidang.remote-error';
  /** 400–499 for a refusal; 500 when the handler failed. */
  readonly status: number;
  /** Stable, machine-readable: `wrong-expected-version`, `not-found`, a domain rule's name… */
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

/** Throw from a handler to refuse a request with a 4xx the caller will see. */
export class RemoteDomainError extends Error {
  override readonly name = 'RemoteDomainError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    if (!(status >= 400 && status <= 499)) throw new Error(`RemoteDomainError needs a 4xx status, got ${status}`);
  }
}

/** Maps an error a handler threw to a refusal, or undefined when it is not a refusal (a 500). */
export type RemoteErrorMapper = (error: unknown) => Omit<RemoteErrorBody, 'type'> | undefined;

/** Event-store refusals, RemoteDomainError, Nest 4xx HttpExceptions (e.g. ValidationPipe's 400) and errors with a 4xx `status` and a `code`. */
export const defaultRemoteErrorMapper: RemoteErrorMapper = (error) => {
  if (error instanceof RemoteDomainError) return withDetails({ status: error.status, code: error.code, message: error.message }, error.details);
  if (error instanceof WrongExpectedVersionError) {
    return {
      status: 409,
      code: 'wrong-expected-version',
      message: error.message,
      details: { expected: String(error.expectedRevision), actual: String(error.actualRevision) },
    };
  }
  if (error instanceof IdempotencyKeyReusedError) return { status: 422, code: 'idempotency-key-reused', message: error.message };
  if (error instanceof StreamNotFoundError) return { status: 404, code: 'not-found', message: error.message };
  if (error instanceof InvalidAppendError) return { status: 400, code: 'invalid-request', message: error.message };
  if (error instanceof HttpException && error.getStatus() >= 400 && error.getStatus() <= 499) {
    const response = error.getResponse();
    return withDetails(
      { status: error.getStatus(), code: kebab(error.name.replace(/Exception$/, '')), message: error.message },
      typeof response === 'object' ? response : undefined,
    );
  }
  if (error instanceof Error) {
    const { status, code } = error as Error & { status?: unknown; code?: unknown };
    if (typeof status === 'number' && status >= 400 && status <= 499 && typeof code === 'string') return { status, code, message: error.message };
  }
  return undefined;
};

function withDetails(body: Omit<RemoteErrorBody, 'type' | 'details'>, details: unknown): Omit<RemoteErrorBody, 'type'> {
  return details === undefined ? body : { ...body, details };
}

function kebab(text: string): string {
  return text.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase() || 'error';
}

export function isRemoteErrorBody(value: unknown): value is RemoteErrorBody {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'haidang.remote-error';
}

/** The body a handler's error is answered with: its mapped refusal, else a 500 that says nothing of the internals. */
export function toRemoteErrorBody(error: unknown, mappers: readonly RemoteErrorMapper[] = [defaultRemoteErrorMapper]): RemoteErrorBody {
  if (error instanceof RpcException && isRemoteErrorBody(error.getError())) return error.getError() as RemoteErrorBody;
  for (const map of mappers) {
    const mapped = map(error);
    if (mapped) return { type: 'haidang.remote-error', ...mapped };
  }
  return { type: 'haidang.remote-error', status: 500, code: 'internal', message: 'The service failed to handle the request' };
}

/**
 * Exception filter for a service's message handlers (`app.useGlobalFilters(new RemoteErrorFilter())`
 * on the microservice): every error becomes a RemoteErrorBody the caller's ServiceClient turns into
 * RemoteServiceError. Unmapped errors are logged here, where the stack is, and answered as 500.
 */
@Catch()
export class RemoteErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('RemoteErrorFilter');

  constructor(private readonly mappers: readonly RemoteErrorMapper[] = [defaultRemoteErrorMapper]) {}

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    const body = toRemoteErrorBody(exception, this.mappers);
    if (body.status >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return throwError(() => body);
  }
}

export type UnavailableReason = 'timeout' | 'no-responders' | 'no-handler' | 'disconnected';

/** The other service did not answer (in time, or at all): HTTP answers 503. */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
  readonly httpStatus = 503;
  constructor(
    readonly service: string,
    readonly pattern: string,
    readonly reason: UnavailableReason,
    options?: { cause?: unknown },
  ) {
    super(`Service ${service} unavailable for ${pattern}: ${reason}`, options);
  }
}

/**
 * The other service answered with an error. `httpStatus` is what this service's HTTP layer should
 * answer: the remote 4xx as is (the request was refused for the client's reason), 502 when the
 * remote handler failed.
 */
export class RemoteServiceError extends Error {
  override readonly name = 'RemoteServiceError';
  readonly httpStatus: number;
  constructor(
    readonly service: string,
    readonly pattern: string,
    readonly remoteStatus: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.httpStatus = remoteStatus >= 400 && remoteStatus <= 499 ? remoteStatus : 502;
  }
}
