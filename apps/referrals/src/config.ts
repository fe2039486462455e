/** The service's configuration, from the environment only (DESIGN.md), validated before anything starts. */
export interface ReferralsConfig {
  readonly port: number;
  /** Undefined: run on the embedded PGlite default. */
  readonly databaseUrl: string | undefined;
}

export const DEFAULT_REFERRALS_PORT = 3002;

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export function referralsConfigFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ReferralsConfig {
  const rawPort = env.PORT?.trim();
  const port = rawPort === undefined || rawPort === '' ? DEFAULT_REFERRALS_PORT : Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigurationError('PORT must be an integer from 0 to 65535');
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigurationError('DATABASE_URL must be a postgres:// URL');
  return { port, databaseUrl };
}
