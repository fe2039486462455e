import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { Registry } from 'prom-client';
import { PostgresEventStore, registerEventStoreMetrics, runMigrations, type Migration } from '@haidang/event-store';
import { loadPiiKeys, PersonalDataProtector, type PiiKeys } from '@haidang/pii';
import { createProjectionMetrics, ProjectionHost, projectionEntities, type ProjectionDefinition, type ProjectionLogger } from '@haidang/projections';

export interface ServiceStorageOptions {
  readonly databaseUrl: string;
  /** Every migration the service needs, in order (event store, messaging, pii, projections, …). */
  readonly migrations: readonly Migration[];
  readonly projections: readonly ProjectionDefinition[];
  /** Connections of the service's pool (default 10) and of its read-model pool (default 5). */
  readonly poolSize?: number;
  readonly readModelPoolSize?: number;
  /** For the projections' warnings and errors (default: JSON lines on stderr; `silent` drops them). */
  readonly service: string;
  readonly logLevel?: string;
  /**
   * Where the store's and the projections' gauges go (`haidang_event_store_oldest_open_transaction_age_seconds`,
   * `haidang_projection_lag_events`, …): the registry the service's `/metrics` serves.
   */
  readonly registry?: Registry;
}

/** What a service keeps in its own database: the log, the personal-data keys, the read models. */
export interface ServiceStorage {
  readonly pool: Pool;
  readonly store: PostgresEventStore;
  readonly keys: PiiKeys;
  readonly protector: PersonalDataProtector;
  /** TypeORM over the projections' entities; read with `withReadModel` (the active version's schema). */
  readonly readModel: DataSource;
  readonly projections: ProjectionHost;
  close(): Promise<void>;
}

/**
 * Opens a service's database in the order every service needs: migrations first (advisory-locked,
 * so replicas starting together apply them once), then the event store, the personal-data protector
 * with the keys from the environment (DATA_KEY_ENCRYPTION_KEY, PERSONAL_ID_INDEX_KEY), the read
 * models and their projections (live from their checkpoints, or rebuilt beside the active version).
 */
export async function openServiceStorage(options: ServiceStorageOptions): Promise<ServiceStorage> {
  const pool = new Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
  pool.on('error', () => undefined); // an idle connection lost: the pool replaces it
  // A connection the server ends while it is checked out (PostgreSQL stopped, 57P01) emits 'error' on
  // the client with no pool listener attached: unhandled, it would end the process. Its query rejects
  // anyway, the caller answers 503, and the pool drops the client when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  await runMigrations(pool, options.migrations);
  const store = new PostgresEventStore({ pool });
  const keys = loadPiiKeys();
  const protector = new PersonalDataProtector({ pool, keyEncryptionKeys: keys.keyEncryptionKeys });
  const readModel = new DataSource({
    type: 'postgres',
    url: options.databaseUrl,
    entities: projectionEntities(options.projections),
    poolSize: options.readModelPoolSize ?? 5,
    logging: false,
  });
  await readModel.initialize();
  const metrics =
    options.registry === undefined ? undefined : createProjectionMetrics({ registry: options.registry, headPosition: () => store.headPosition() });
  if (options.registry !== undefined) registerEventStoreMetrics(options.registry, store, { service: options.service });
  const projections = new ProjectionHost({
    dataSource: readModel,
    store,
    logger: projectionLoggerFor(options.service, options.logLevel),
    ...(metrics ? { metrics } : {}),
  });
  await projections.start(options.projections);
  return {
    pool,
    store,
    keys,
    protector,
    readModel,
    projections,
    async close() {
      await projections.stop();
      await readModel.destroy();
      protector.clearCache();
      await store.close();
      await pool.end();
    },
  };
}

/**
 * Projection warnings and errors (a rebuild that failed, a dead-lettered event) as JSON lines on
 * stderr. An error is reduced to its name and message: a read model holds ids and codes only, and a
 * database message names at most a key.
 */
function projectionLoggerFor(service: string, logLevel: string | undefined): ProjectionLogger {
  if (logLevel === 'silent') return { warn: () => undefined, error: () => undefined };
  const line = (level: 'warn' | 'error') => (context: object, message: string) => {
    const fields = Object.fromEntries(Object.entries(context).map(([key, value]) => [key, value instanceof Error ? `${value.name}: ${value.message}` : value]));
    process.stderr.write(`${JSON.stringify({ level, service, msg: message, ...fields })}\n`);
  };
  return { warn: line('warn'), error: line('error') };
}
