import { DEFAULT_OVERDUE_CHECK_INTERVAL_MS } from './overdue/overdue-checker';

/** The service's configuration, from the environment only (DESIGN.md), validated before anything starts. */
export interface ReferralsConfig {
  readonly port: number;
  /** Undefined: run on the embedded PGlite default. */
  readonly databaseUrl: string | undefined;
  /** OVERDUE_CHECK_INTERVAL_MS: between rounds of the referral deadline checker (default 60 s). */
  readonly overdueCheckIntervalMs: number;
}

export const DEFAULT_REFERRALS_PORT = 3002;
/** Below this the checker would query the read model in a busy loop; a day's deadlines need nothing finer. */
export const MIN_OVERDUE_CHECK_INTERVAL_MS = 100;
/** Node's timers take at most 2^31-1 ms; a longer delay fires at once. */
export const MAX_OVERDUE_CHECK_INTERVAL_MS = 2_147_483_647;

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export function referralsConfigFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ReferralsConfig {
  const rawPort = env.PORT?.trim();
  const port = rawPort === undefined || rawPort === '' ? DEFAULT_REFERRALS_PORT : Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigurationError('PORT must be an integer from 0 to 65535');
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigurationError('DATABASE_URL must be a postgres:// URL');
  const rawInterval = env.OVERDUE_CHECK_INTERVAL_MS?.trim();
  const overdueCheckIntervalMs = rawInterval === undefined || rawInterval === '' ? DEFAULT_OVERDUE_CHECK_INTERVAL_MS : Number(rawInterval);
  if (!/^\d*$/.test(rawInterval ?? '') || overdueCheckIntervalMs < MIN_OVERDUE_CHECK_INTERVAL_MS || overdueCheckIntervalMs > MAX_OVERDUE_CHECK_INTERVAL_MS) {
    throw new ConfigurationError(`OVERDUE_CHECK_INTERVAL_MS must be an integer from ${MIN_OVERDUE_CHECK_INTERVAL_MS} to ${MAX_OVERDUE_CHECK_INTERVAL_MS} (milliseconds)`);
  }
  return { port, databaseUrl, overdueCheckIntervalMs };
}
