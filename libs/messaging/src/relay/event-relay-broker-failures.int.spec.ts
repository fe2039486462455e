import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreMigrations, PostgresEventStore } from '@haidang/event-store';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createTestDatabase, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@haidang/testing';
import { Registry } from 'prom-client';
import { ensureEventStream } from '../jetstream/ensure-event-stream';
import { JetStreamEventBus } from '../jetstream/jetstream-event-bus';
import { silentLogger } from '../logger';
import { messagingMigrations } from '../migrations';
import { EventRelay } from './event-relay';
import { appendEvents, readAllEvents, readStreamMessages, streamMessageCount, violationOfExactlyOnceInOrder } from './relay-spec-helpers';

jest.setTimeout(60_000);

/** These stop and restart the broker, so each test gets a nats-server of its own. */
describe('EventRelay when the broker fails', () => {
  let server: NatsServerHandle;
  let database: TestDatabase;
  let store: PostgresEventStore;
  let bus: JetStreamEventBus;
  let relay: EventRelay;
  let registry: Registry;
  const scratchDirs: string[] = [];

  beforeEach(async () => {
    [server, database] = await Promise.all([
      startNatsServer(),
      createTestDatabase({ migrations: [...eventStoreMigrations, ...messagingMigrations], pool: { max: 10 } }),
    ]);
    const nc = await connect({ servers: server.url, reconnect: false });
    try {
      await ensureEventStream(await jetstreamManager(nc), { name: 'EVENTS', subjects: ['evt.>'], storage: 'file' });
    } finally {
      await nc.close();
    }
    store = new PostgresEventStore({ pool: database.pool });
    bus = new JetStreamEventBus({ servers: server.url, stream: 'EVENTS', ackTimeoutMs: 2_000 });
    registry = new Registry();
    relay = new EventRelay({
      service: 'cases',
      store,
      pool: database.pool,
      bus,
      batchSize: 50,
      pollIntervalMs: 100,
      lockRetryMs: 200,
      backoff: { initialMs: 50, maxMs: 300 },
      registry,
      logger: silentLogger,
    });
  });

  afterEach(async () => {
    await relay.stop();
    await bus.close();
    await store.close();
    await Promise.all([database.drop(), server.destroy()]);
    for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const messagesInStream = (): Promise<number> => streamMessageCount(server.url, 'EVENTS');

  async function expectStreamToMatchStore(): Promise<void> {
    const events = await readAllEvents(store);
    await waitFor(async () => (await messagesInStream().catch(() => 0)) >= events.length, {
      timeoutMs: 30_000,
      description: `${events.length} messages in the stream`,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(violationOfExactlyOnceInOrder(events, await readStreamMessages(server.url, 'EVENTS'))).toBeUndefined();
  }

  it('lets appends succeed while NATS is down, and catches up when it returns', async () => {
    relay.start();
    await appendEvents(store, 100);
    await waitFor(async () => (await messagesInStream()) === 100, { timeoutMs: 10_000 });

    await server.stop();
    await appendEvents(store, 300); // nothing on the write path waits for the broker
    await waitFor(async () => (await registry.getSingleMetricAsString('haidang_relay_session_failures_total')).includes('relay="cases"'), {
      timeoutMs: 10_000,
      description: 'the relay to notice the broker is gone',
    });
    expect(relay.status).toBe('active'); // still the leader: it keeps the lock and retries

    await server.restart();
    await expectStreamToMatchStore();
  });

  it('keeps the backlog in PostgreSQL, not in memory, while NATS is down (reads at most a page and its read-ahead)', async () => {
    let eventsRead = 0;
    const counting = Object.create(store) as PostgresEventStore;
    counting.readAllPage = async (after, maxCount) => {
      const page = await store.readAllPage(after, maxCount);
      eventsRead += page.length;
      return page;
    };
    await relay.stop();
    relay = new EventRelay({
      service: 'cases',
      store: counting,
      pool: database.pool,
      bus,
      batchSize: 50,
      pollIntervalMs: 100,
      lockRetryMs: 200,
      backoff: { initialMs: 50, maxMs: 300 },
      registry: new Registry(),
      logger: silentLogger,
    });
    relay.start();
    await appendEvents(store, 50);
    await waitFor(async () => (await messagesInStream()) === 50, { timeoutMs: 10_000 });

    await server.stop();
    eventsRead = 0;
    await appendEvents(store, 2_000, { writers: 4, perAppend: 10 });
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // several failed sessions
    expect(eventsRead).toBeLessThanOrEqual(2 * 50);

    await server.restart();
    await expectStreamToMatchStore();
  });

  it('re-sends what the broker lost after acknowledging it', async () => {
    relay.start();
    await appendEvents(store, 150);
    await waitFor(async () => (await messagesInStream()) === 150, { timeoutMs: 10_000 });

    // Keep the broker's files as they are now…
    await server.stop();
    const snapshot = mkdtempSync(join(tmpdir(), 'haidang-js-snapshot-'));
    scratchDirs.push(snapshot);
    cpSync(server.storeDir, snapshot, { recursive: true });
    await server.restart();

    // …let it acknowledge 150 more, which the relay checkpoints with the stream sequence…
    await appendEvents(store, 150);
    await waitFor(async () => (await relay.lag()) === 0 && (await messagesInStream().catch(() => 0)) === 300, { timeoutMs: 15_000 });
    const { rows } = await database.pool.query<{ stream_sequence: string }>('SELECT stream_sequence::text FROM messaging_relay_checkpoints');
    expect(rows[0]?.stream_sequence).toBe('300');

    // …then crash it and bring it back from the older files: acknowledged messages are gone, as
    // when nats-server 2.9 dies before its writes reach the disk.
    await server.kill();
    for (const entry of readdirSync(server.storeDir)) rmSync(join(server.storeDir, entry), { recursive: true, force: true });
    cpSync(snapshot, server.storeDir, { recursive: true });
    await server.restart();

    // The relay's next session finds the stream behind its checkpoint and re-sends the lost tail.
    await expectStreamToMatchStore();
    expect(await registry.getSingleMetricAsString('haidang_relay_resends_total')).toContain('haidang_relay_resends_total{relay="cases"} 1');
  });
});
