import { contextFrom, CORRELATION_ID_ATTRIBUTE, startSpan, withContext } from '@haidang/telemetry';
import { routePattern, type NextFunction, type PlatformRequest, type PlatformResponse } from '../http-types';

/**
 * A server span per request, continuing the caller's trace (`traceparent`), with the correlation
 * id as an attribute; everything the request does runs inside it (commands, appends, calls to other
 * services). Its name is the route pattern, never the URL (paths hold ids, query strings may hold names).
 */
export function tracingMiddleware(service: string) {
  return (request: PlatformRequest, response: PlatformResponse, next: NextFunction): void => {
    const traceparent = request.headers['traceparent'];
    const tracestate = request.headers['tracestate'];
    const { span, context } = startSpan(`HTTP ${request.method}`, {
      kind: 'server',
      parent: contextFrom({
        ...(typeof traceparent === 'string' ? { traceparent } : {}),
        ...(typeof tracestate === 'string' ? { tracestate } : {}),
      }),
      attributes: { 'http.request.method': request.method, 'haidang.service': service, [CORRELATION_ID_ATTRIBUTE]: request.correlationId ?? '' },
    });
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      const route = routePattern(request);
      span.updateName(`HTTP ${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': response.statusCode });
      span.end();
    };
    response.on('finish', end);
    response.on('close', end);
    withContext(context, next);
  };
}
