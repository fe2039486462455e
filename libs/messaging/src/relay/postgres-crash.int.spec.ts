/**
 * Invariant 1 for the relay across a PostgreSQL crash: the broker ends with every committed event
 * exactly once, in log order, after the database server is killed while the relay is publishing.
 */
import { Pool } from 'pg';
import { eventStoreMigrations, jsonEvent, PostgresEventStore, runMigrations } from '@haidang/event-store';
import { startPostgresServer, waitFor, type PostgresServerHandle } from '@haidang/testing';
import { InProcessEventBus } from '../in-process/in-process-event-bus';
import { silentLogger } from '../logger';
import { messagingMigrations } from '../migrations';
import { EventRelay } from './event-relay';

jest.setTimeout(120_000);

describe('the relay across a PostgreSQL crash', () => {
  let server: PostgresServerHandle;
  let pool: Pool;
  let store: PostgresEventStore;
  let relay: EventRelay;
  const bus = new InProcessEventBus();

  beforeAll(async () => {
    server = await startPostgresServer();
    pool = new Pool({ connectionString: server.url, max: 6 });
    pool.on('error', () => undefined);
    await runMigrations(pool, [...eventStoreMigrations, ...messagingMigrations]);
    store = new PostgresEventStore({ pool });
  });
  afterAll(async () => {
    await relay?.stop().catch(() => undefined);
    await store?.close().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await bus.close();
    await server?.destroy();
  });

  async function appendBatch(prefix: string, streams: number): Promise<string[]> {
    const ids: string[] = [];
    for (let s = 0; s < streams; s++) {
      const events = Array.from({ length: 5 }, (_, i) => jsonEvent({ type: 'ProgressNoted', data: { i } }));
      await store.appendToStream(`RehabCase-${prefix}-${s}`, events, { expectedRevision: 'no_stream' });
      ids.push(...events.map((e) => e.id));
    }
    return ids;
  }

  it('publishes every committed event once, in order', async () => {
    relay = new EventRelay({
      service: 'cases',
      store,
      pool,
      bus,
      batchSize: 50,
      pollIntervalMs: 50,
      lockRetryMs: 200,
      logger: silentLogger,
      backoff: { initialMs: 50, maxMs: 500 },
    });
    relay.start();
    const first = await appendBatch('a', 60);
    await server.kill();
    await server.restart();
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
    const second = await appendBatch('b', 40);
    const committed = [...first, ...second];

    const publisher = await bus.openPublisher();
    await waitFor(async () => (await publisher.streamState()).messages >= committed.length, { timeoutMs: 60_000, description: 'relay caught up' });
    await new Promise((r) => setTimeout(r, 300)); // a duplicate would land now
    const state = await publisher.streamState();
    const published: { id: string; position: string }[] = [];
    for (let seq = state.firstSeq; seq <= state.lastSeq; seq++) {
      const message = await publisher.getMessage(seq);
      if (message) published.push({ id: message.headers['Nats-Msg-Id'] ?? '', position: message.headers['Hd-Position'] ?? '' });
    }
    await publisher.close();
    expect(published.map((m) => m.id).sort()).toEqual([...committed].sort());
    const positions = published.map((m) => m.position.split(':').map(BigInt) as [bigint, bigint]);
    for (let i = 1; i < positions.length; i++) {
      const [a, b] = [positions[i - 1] as [bigint, bigint], positions[i] as [bigint, bigint]];
      expect(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])).toBe(true);
    }
  });
});
