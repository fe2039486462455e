/**
 * The parts of Express's request and response this lib touches, typed structurally so that it
 * needs no `@types/express` (and no import of `express` itself, a transitive dependency).
 */
export interface PlatformRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly ip?: string;
  /** Set by Express once a route matched: its pattern, e.g. `/api/v1/persons/:id`. */
  readonly route?: { readonly path?: unknown };
  readonly baseUrl?: string;
  /** Set by the request-context middleware of this lib. */
  correlationId?: string;
  /** Set by `@haidang/auth` once the token is verified. */
  principal?: { readonly sub: string };
}

export interface PlatformResponse {
  statusCode: number;
  headersSent: boolean;
  setHeader(name: string, value: string | number | readonly string[]): unknown;
  status(code: number): PlatformResponse;
  send(body: string): unknown;
  on(event: 'finish' | 'close', listener: () => void): unknown;
}

export type NextFunction = (error?: unknown) => void;

/** The route pattern of a request, never its URL: paths may hold ids and query strings names. */
export function routePattern(request: PlatformRequest): string {
  const path = request.route?.path;
  if (typeof path !== 'string') return 'unmatched';
  return `${request.baseUrl ?? ''}${path}` || '/';
}
