import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { RemoteErrorBody } from '@haidang/messaging';
import { throwError, type Observable } from 'rxjs';
import { AccessDeniedError, UnauthenticatedError } from '../identity/errors';

interface ProblemResponse {
  headersSent?: boolean;
  setHeader(name: string, value: string): unknown;
  status(code: number): ProblemResponse;
  end(body: string): unknown;
}

/**
 * Renders the refusals of this library wherever they are thrown (guards, or a handler's
 * `assertInScope`): over HTTP as RFC 9457 `application/problem+json` (401 with
 * `WWW-Authenticate: Bearer`); to a NATS caller as the RemoteErrorBody `@haidang/messaging`'s
 * ServiceClient turns back into the same 401/403.
 */
@Catch(UnauthenticatedError, AccessDeniedError)
export class AuthProblemFilter implements ExceptionFilter<UnauthenticatedError | AccessDeniedError> {
  catch(exception: UnauthenticatedError | AccessDeniedError, host: ArgumentsHost): Observable<never> | undefined {
    const problem = exception.problem;
    if (host.getType() === 'rpc') {
      const body: RemoteErrorBody = { type: 'haidang.remote-error', status: problem.status, code: exception.code, message: problem.detail };
      return throwError(() => body);
    }
    if (host.getType() !== 'http') return undefined;
    const response = host.switchToHttp().getResponse<ProblemResponse>();
    if (response.headersSent) return undefined;
    response.setHeader('Content-Type', 'application/problem+json');
    if (problem.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    response.setHeader('Cache-Control', 'no-store');
    response.status(problem.status).end(JSON.stringify(problem));
    return undefined;
  }
}
