import type { NextFunction, PlatformRequest, PlatformResponse } from '../http-types';
import { problem } from '../problem/problem-details';
import { sendProblem } from '../problem/send-problem';

/** Beyond this many tracked addresses, expired windows are swept before a new one is added. */
const SWEEP_AT = 10_000;
/** A hard bound on memory under a flood from many addresses: past it, the oldest windows go. */
const MAX_TRACKED = 100_000;

/**
 * Fixed-window counts of refused-for-identity (401) answers per client address (issue 10 §8):
 * unauthenticated and invalid-token requests never reach the per-principal limiter, which counts
 * after authentication, so 660 of 660 forged tokens were answered. In memory, per replica: N
 * replicas allow N budgets, which bounds abuse well enough for a budget meant to stop floods and
 * token guessing; a shared store (Redis) is the step after this one.
 */
export class AddressBudget {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the address may be answered again; 0 while it is within its budget. */
  retryAfterSeconds(address: string): number {
    const window = this.windows.get(address);
    if (!window) return 0;
    const now = this.now();
    if (window.resetAt <= now) {
      this.windows.delete(address);
      return 0;
    }
    return window.count >= this.limit ? Math.max(1, Math.ceil((window.resetAt - now) / 1000)) : 0;
  }

  /** One more refused request from the address. */
  record(address: string): void {
    const now = this.now();
    const window = this.windows.get(address);
    if (window && window.resetAt > now) {
      window.count += 1;
      return;
    }
    if (this.windows.size >= SWEEP_AT) this.sweep(now);
    this.windows.set(address, { count: 1, resetAt: now + this.windowMs });
  }

  private sweep(now: number): void {
    for (const [address, window] of this.windows) if (window.resetAt <= now) this.windows.delete(address);
    // Insertion order is age order: drop the oldest when a flood from many addresses fills the map.
    for (const address of this.windows.keys()) {
      if (this.windows.size < MAX_TRACKED) break;
      this.windows.delete(address);
    }
  }
}

/** Ops endpoints are probed by the platform and must answer even while an address is refused. */
const OPS_PATH = /^\/(health|metrics)(\/|\?|$)/;

/**
 * Express middleware early in the chain: an address that used up its budget of 401 answers is
 * answered 429 with `Retry-After` before its token is even verified, so a flood of forged tokens
 * costs no signature checks. The cost: users behind one NAT share this budget, but only failed
 * authentications spend it, so a correctly configured client is affected only while a neighbour
 * floods; set `trustProxy` so that the address is the client's, not the ingress's.
 */
export function addressBudgetMiddleware(budget: AddressBudget) {
  return (request: PlatformRequest, response: PlatformResponse, next: NextFunction): void => {
    if (OPS_PATH.test(request.url)) return next();
    const address = request.ip ?? 'unknown';
    const retryAfter = budget.retryAfterSeconds(address);
    if (retryAfter > 0) {
      response.setHeader('Retry-After', String(retryAfter));
      sendProblem(
        response,
        problem({
          status: 429,
          code: 'rate-limited',
          title: 'Too Many Requests',
          detail: 'Too many requests without a valid token from this address. Retry later.',
        }),
        request.correlationId,
      );
      return;
    }
    response.on('finish', () => {
      if (response.statusCode === 401) budget.record(address);
    });
    next();
  };
}
