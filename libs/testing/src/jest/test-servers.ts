import { MissingDependencyError } from '../binaries';
import { type NatsServerHandle, startNatsServer } from '../nats-server';
import { type PostgresServerHandle, startPostgresServer } from '../postgres-server';

interface SharedServers {
  refs: number;
  postgres?: PostgresServerHandle;
  nats?: NatsServerHandle;
  restoreEnv: Record<string, string | undefined>;
}

// On the real global object: setup and teardown run in Jest's parent process but may load this module
// separately, and a multi-project run calls setup once per project.
const KEY = Symbol.for('haidang.testing.sharedServers');
const registry = globalThis as typeof globalThis & { [KEY]?: SharedServers };

/**
 * Starts one PostgreSQL and one nats-server for the whole Jest run, unless DATABASE_URL / NATS_URL
 * are set, and exports their URLs; workers start after global setup and inherit the environment.
 * A missing binary is not an error here: a run of unit tests needs neither server, and the test that
 * does need one fails with the message saying what to install.
 */
export async function startSharedTestServers(): Promise<void> {
  const existing = registry[KEY];
  if (existing) {
    existing.refs++;
    return;
  }
  const state: SharedServers = {
    refs: 1,
    restoreEnv: { DATABASE_URL: process.env.DATABASE_URL, NATS_URL: process.env.NATS_URL },
  };
  registry[KEY] = state;
  const [pgResult, natsResult] = await Promise.allSettled([
    process.env.DATABASE_URL ? undefined : tolerateMissing(startPostgresServer()),
    process.env.NATS_URL ? undefined : tolerateMissing(startNatsServer()),
  ]);
  if (pgResult.status === 'rejected' || natsResult.status === 'rejected') {
    delete registry[KEY];
    if (pgResult.status === 'fulfilled') await pgResult.value?.destroy();
    if (natsResult.status === 'fulfilled') await natsResult.value?.destroy();
    throw pgResult.status === 'rejected' ? pgResult.reason : (natsResult as PromiseRejectedResult).reason;
  }
  const postgres = pgResult.value;
  const nats = natsResult.value;
  if (postgres) {
    state.postgres = postgres;
    process.env.DATABASE_URL = postgres.url;
  }
  if (nats) {
    state.nats = nats;
    process.env.NATS_URL = nats.url;
  }
}

export async function stopSharedTestServers(): Promise<void> {
  const state = registry[KEY];
  if (!state || --state.refs > 0) return;
  delete registry[KEY];
  await Promise.all([state.postgres?.destroy(), state.nats?.destroy()]);
  for (const [name, value] of Object.entries(state.restoreEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

async function tolerateMissing<T>(starting: Promise<T>): Promise<T | undefined> {
  try {
    return await starting;
  } catch (error) {
    if (error instanceof MissingDependencyError) return undefined;
    throw error;
  }
}
