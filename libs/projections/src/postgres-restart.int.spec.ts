/**
 * Invariant 1 across a PostgreSQL crash: a live projection, fed by the store's own subscription,
 * ends with exactly the read model of every committed event — none lost, none applied twice —
 * after the database server is killed (SIGKILL, crash recovery on restart) in the middle of its work.
 */
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { eventStoreMigrations, PostgresEventStore, runMigrations } from '@haidang/event-store';
import { startPostgresServer, waitFor, type PostgresServerHandle } from '@haidang/testing';
import { StoreSubscriptionSource } from './event-source';
import { projectionsMigrations } from './migrations/projections.migrations';
import { ProjectionRunner } from './projection-runner';
import { caseloadEntities, caseloadProjection, generateHistory, readAllEvents, readRows, referenceState } from './test-fixtures/caseload.fixture';

jest.setTimeout(120_000);

describe('a projection across a PostgreSQL crash', () => {
  let server: PostgresServerHandle;
  let pool: Pool;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    server = await startPostgresServer();
    pool = new Pool({ connectionString: server.url, max: 8 });
    pool.on('error', () => undefined);
    await runMigrations(pool, [...eventStoreMigrations, ...projectionsMigrations]);
    dataSource = new DataSource({ type: 'postgres', url: server.url, entities: caseloadEntities, poolSize: 4, logging: false });
    await dataSource.initialize();
    store = new PostgresEventStore({ pool });
  });

  afterAll(async () => {
    await runner?.stop().catch(() => undefined);
    await store?.close().catch(() => undefined);
    await dataSource?.destroy().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await server?.destroy();
  });

  it('applies every committed event exactly once', async () => {
    runner = new ProjectionRunner({
      projection: caseloadProjection('caseload', 1),
      dataSource,
      source: new StoreSubscriptionSource(store, { batchSize: 100, pollIntervalMs: 50, retryDelayMs: 100 }),
      retryDelayMs: 1,
      transientRetryDelayMs: 100,
      logger: { warn: () => undefined, error: () => undefined },
    });
    await runner.start();
    const before = await generateHistory(store, { cases: 60, persons: 20, seed: 11 });

    await server.kill(); // mid-stream: the runner may be inside a batch transaction
    await server.restart();
    // Connections that died with the server are dropped by the pool on first use.
    await waitFor(
      async () =>
        (await pool.query('SELECT 1').then(
          () => true,
          () => false,
        )) &&
        (await pool.query('SELECT 1').then(
          () => true,
          () => false,
        )),
      {
        timeoutMs: 30_000,
        description: 'PostgreSQL back',
      },
    );
    const after = await generateHistory(store, { cases: 40, persons: 10, seed: 12 });

    // Readers see only what lies below the oldest open transaction, and the runner's own batch
    // transactions hold one: wait until the whole log is visible, then for the runner to reach its end.
    const events = await waitFor(
      async () => {
        const all = await readAllEvents(store);
        return all.length === before + after ? all : undefined;
      },
      { timeoutMs: 30_000, description: 'every appended event visible' },
    );
    const last = events[events.length - 1];
    if (!last) throw new Error('no events');
    await runner.waitForCheckpoint(last.position, { timeoutMs: 60_000 });
    const expected = referenceState(events);
    expect(await readRows(dataSource, 'proj_caseload_v1')).toEqual(expected);
  });
});
