import { ConfigurationError, serviceConfigurationFromEnv, type ServiceConfiguration } from '@haidang/service-kit';
import { DEFAULT_OVERDUE_CHECK_INTERVAL_MS } from './overdue/overdue-checker';

export { ConfigurationError };

export const DEFAULT_REFERRALS_PORT = 3002;
/** Below this the checker would query the read model in a busy loop; a day's deadlines need nothing finer. */
export const MIN_OVERDUE_CHECK_INTERVAL_MS = 100;
/** Node's timers take at most 2^31-1 ms; a longer delay fires at once. */
export const MAX_OVERDUE_CHECK_INTERVAL_MS = 2_147_483_647;

/** What only this service reads from its environment. */
export interface ReferralsExtraConfig {
  /** OVERDUE_CHECK_INTERVAL_MS: between rounds of the referral deadline checker (default 60 s). */
  readonly overdueCheckIntervalMs: number;
}

/** PORT and DATABASE_URL as every service reads them, and OVERDUE_CHECK_INTERVAL_MS; validated before anything starts. */
export function referralsConfigFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ServiceConfiguration & { readonly extra: ReferralsExtraConfig } {
  const common = serviceConfigurationFromEnv(DEFAULT_REFERRALS_PORT, env);
  const rawInterval = env['OVERDUE_CHECK_INTERVAL_MS']?.trim();
  const overdueCheckIntervalMs = rawInterval === undefined || rawInterval === '' ? DEFAULT_OVERDUE_CHECK_INTERVAL_MS : Number(rawInterval);
  if (!/^\d*$/.test(rawInterval ?? '') || overdueCheckIntervalMs < MIN_OVERDUE_CHECK_INTERVAL_MS || overdueCheckIntervalMs > MAX_OVERDUE_CHECK_INTERVAL_MS) {
    throw new ConfigurationError(
      `OVERDUE_CHECK_INTERVAL_MS must be an integer from ${MIN_OVERDUE_CHECK_INTERVAL_MS} to ${MAX_OVERDUE_CHECK_INTERVAL_MS} (milliseconds)`,
    );
  }
  return { ...common, extra: { overdueCheckIntervalMs } };
}
