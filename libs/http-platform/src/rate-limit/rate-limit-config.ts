export interface RateLimitOptions {
  /** Requests allowed per principal in each window, across all the service's routes. */
  readonly limit: number;
  readonly windowMs: number;
  /**
   * Requests answered 401 (no token, an invalid one) allowed per client address in each window;
   * past it the address is answered 429 until the window ends. Default: DEFAULT_RATE_LIMIT's.
   */
  readonly perAddressLimit?: number;
}

export const DEFAULT_RATE_LIMIT: Required<RateLimitOptions> = { limit: 300, windowMs: 60_000, perAddressLimit: 60 };

export interface RateLimitEnv {
  readonly [name: string]: string | undefined;
}

/**
 * Budgets from the environment, each optional (issue 10 §8): `RATE_LIMIT_PER_PRINCIPAL` (requests
 * per window per principal, all routes together), `RATE_LIMIT_PER_ADDRESS` (401 answers per window
 * per client address), `RATE_LIMIT_WINDOW_SECONDS`. A value that is not a positive integer stops
 * the service at boot rather than leaving it unlimited.
 */
export function rateLimitFromEnv(env: RateLimitEnv): Required<RateLimitOptions> {
  return {
    limit: positiveInteger(env, 'RATE_LIMIT_PER_PRINCIPAL') ?? DEFAULT_RATE_LIMIT.limit,
    perAddressLimit: positiveInteger(env, 'RATE_LIMIT_PER_ADDRESS') ?? DEFAULT_RATE_LIMIT.perAddressLimit,
    windowMs: (positiveInteger(env, 'RATE_LIMIT_WINDOW_SECONDS') ?? DEFAULT_RATE_LIMIT.windowMs / 1000) * 1000,
  };
}

function positiveInteger(env: RateLimitEnv, name: string): number | undefined {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw new Error(`${name} must be a positive integer`);
  return Number(value);
}
