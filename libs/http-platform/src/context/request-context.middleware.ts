import { randomUUID } from 'node:crypto';
import { correlationIdFrom, runWithContext, type RequestContext } from '@haidang/request-context';
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

/** Methods that ask for a change: each such request is one command. */
const COMMAND_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The context of an HTTP request (invariant 7, issue 10 §12). A command request gets a fresh
 * `commandId`, so that the events it appends name it, and its `causationId` is the request's
 * correlation id: what caused the events is the client's request, and the correlation id is how
 * that request is known everywhere else (the `X-Correlation-Id` echoed to the client, the access
 * log line, problem bodies). A separate request id would name the request nowhere but in events.
 * A client that reuses a correlation id over several commands gets one causation id for them,
 * each with its own command id. Reads append nothing (an access record is caused by the read
 * request alike), so they carry no command id.
 */
export function contextForRequest(request: Pick<PlatformRequest, 'method' | 'headers' | 'correlationId'>): RequestContext {
  const correlationId = request.correlationId ?? correlationIdFrom(request.headers['x-correlation-id']);
  if (!COMMAND_METHODS.has(request.method.toUpperCase())) return { correlationId, causationId: correlationId };
  return { correlationId, causationId: correlationId, commandId: randomUUID() };
}

/**
 * Runs the rest of the request in the request context. It sits after the body parser on purpose:
 * the parser resumes from socket events, which do not carry the AsyncLocalStorage store along.
 */
export function requestContextMiddleware(request: PlatformRequest, _response: PlatformResponse, next: NextFunction): void {
  runWithContext(contextForRequest(request), () => next());
}
