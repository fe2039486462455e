import { type EmbeddedPostgres, type EmbeddedPostgresOptions, startEmbeddedPostgres } from './embedded-postgres';

export interface ResolvedDatabase {
  readonly url: string;
  /** The embedded server when one was started; undefined when DATABASE_URL was used. */
  readonly embedded: EmbeddedPostgres | undefined;
  /** Stops the embedded server; does nothing for an external DATABASE_URL. */
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when set, else an embedded PGlite server (the platform's no-setup default). Code that
 * gets its URL from here must tolerate the PGlite limits documented on startEmbeddedPostgres.
 */
export async function resolveDatabaseUrl(
  env: Readonly<Record<string, string | undefined>> = process.env,
  embeddedOptions: EmbeddedPostgresOptions = {},
): Promise<ResolvedDatabase> {
  const external = env.DATABASE_URL?.trim();
  if (external) return { url: external, embedded: undefined, stop: async () => undefined };
  const embedded = await startEmbeddedPostgres(embeddedOptions);
  return { url: embedded.url, embedded, stop: () => embedded.stop() };
}
