import { correlationIdFrom, runWithContext } from '@haidang/request-context';
import type { NextFunction, PlatformRequest, PlatformResponse } from '../http-types';

export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/**
 * First in the chain: takes the client's correlation id when it is a safe token, else makes one,
 * and echoes it, so that even a refused body (413, malformed JSON) answers with it.
 */
export function correlationIdMiddleware(request: PlatformRequest, response: PlatformResponse, next: NextFunction): void {
  const correlationId = correlationIdFrom(request.headers['x-correlation-id']);
  request.correlationId = correlationId;
  response.setHeader(CORRELATION_ID_HEADER, correlationId);
  next();
}

/**
 * Runs the rest of the request in the request context. It sits after the body parser on purpose:
 * the parser resumes from socket events, which do not carry the AsyncLocalStorage store along.
 */
export function requestContextMiddleware(request: PlatformRequest, _response: PlatformResponse, next: NextFunction): void {
  const correlationId = request.correlationId ?? correlationIdFrom(request.headers['x-correlation-id']);
  runWithContext({ correlationId }, () => next());
}
