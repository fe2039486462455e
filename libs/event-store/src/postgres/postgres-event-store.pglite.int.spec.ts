/**
 * The same contract on PGlite (the embedded default), through its PostgreSQL wire-protocol socket.
 * PGlite is one database in one backend session: tests share one server and empty the tables
 * between tests instead of creating databases, and named prepared statements are off (they would
 * clash between connections that share the session).
 */
import { Pool } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@haidang/embedded';
import { describeEventStoreContract } from '../contract';
import { eventStoreMigrations } from '../migrations/event-store.migrations';
import { runMigrations } from '@haidang/sql-migrations';
import { PostgresEventStore } from './postgres-event-store';

jest.setTimeout(120_000);

let embedded: EmbeddedPostgres;

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({ maxConnections: 16 });
  const pool = new Pool({ connectionString: embedded.url, max: 1 });
  await runMigrations(pool, eventStoreMigrations);
  await pool.end();
});

afterAll(async () => {
  await embedded?.stop();
});

describeEventStoreContract('PGlite (embedded)', async ({ upcasters }) => {
  const pool = new Pool({ connectionString: embedded.url, max: 4 });
  pool.on('error', () => undefined);
  await pool.query('TRUNCATE es_events, es_streams, es_idempotency_keys RESTART IDENTITY');
  const store = new PostgresEventStore({ pool, namedStatements: false, ...(upcasters ? { upcasters } : {}) });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await pool.end();
    },
  };
});
