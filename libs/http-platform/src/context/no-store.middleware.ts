import type { NextFunction, PlatformRequest, PlatformResponse } from '../http-types';

/** The cache headers every answer carries (DESIGN, public surface): answers hold personal data. */
export const NO_STORE_HEADERS: Readonly<Record<string, string>> = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/**
 * First in the chain, so that success answers, refusals of early middleware and the OpenAPI UI
 * alike are never stored by a browser or a proxy (issue 10 §6). `Pragma` is for HTTP/1.0 caches.
 */
export function noStoreMiddleware(_request: PlatformRequest, response: PlatformResponse, next: NextFunction): void {
  for (const [name, value] of Object.entries(NO_STORE_HEADERS)) response.setHeader(name, value);
  next();
}
