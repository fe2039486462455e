/**
 * Drill (issue 18, point 2): the broker loses its JetStream store (disk replaced, a new cluster)
 * under load. Without a restart of anything, the relay recreates the stream on its next session and
 * re-sends what the stream lost; a durable consumer recreates itself and goes on consuming. The
 * stream ends holding every event exactly once, in order, and an idempotent handler has applied
 * each event once in effect.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { eventStoreMigrations, PostgresEventStore } from '@haidang/event-store';
import { createTestDatabase, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@haidang/testing';
import { Registry } from 'prom-client';
import { InMemoryDeadLetters } from '../dead-letters';
import { silentLogger } from '../logger';
import { messagingMigrations } from '../migrations';
import { EventRelay } from '../relay/event-relay';
import { appendEvents, readAllEvents, readStreamMessages, streamMessageCount, violationOfExactlyOnceInOrder } from '../relay/relay-spec-helpers';
import { JetStreamEventBus } from './jetstream-event-bus';

jest.setTimeout(120_000);

describe('a broker that lost its JetStream store', () => {
  let server: NatsServerHandle;
  let database: TestDatabase;
  let store: PostgresEventStore;
  let bus: JetStreamEventBus;
  let relay: EventRelay;
  const recreated: string[] = [];

  beforeEach(async () => {
    [server, database] = await Promise.all([
      startNatsServer(),
      createTestDatabase({ migrations: [...eventStoreMigrations, ...messagingMigrations], pool: { max: 10 } }),
    ]);
    store = new PostgresEventStore({ pool: database.pool });
    // The default stream EVENTS on a broker of its own: the bus creates it (and recreates it) itself.
    bus = new JetStreamEventBus({ servers: server.url, ackTimeoutMs: 2_000, onRecreated: (what) => recreated.push(what.durable ?? `stream:${what.stream}`) });
    relay = new EventRelay({
      service: 'cases',
      store,
      pool: database.pool,
      bus,
      batchSize: 50,
      pollIntervalMs: 100,
      lockRetryMs: 200,
      backoff: { initialMs: 50, maxMs: 300 },
      registry: new Registry(),
      logger: silentLogger,
    });
  });

  afterEach(async () => {
    await relay.stop();
    await bus.close();
    await store.close();
    await Promise.all([database.drop(), server.destroy()]);
  });

  it('recreates the stream and the durable consumer, re-publishes everything, and consumes each event once in effect', async () => {
    relay.start();
    const applied = new Map<string, number>();
    const consumer = await bus.consume({
      durable: 'drill-consumer',
      filterSubjects: ['evt.>'],
      deadLetters: new InMemoryDeadLetters(),
      logger: silentLogger,
      // Idempotent by event id, as every handler of the platform is.
      handler: (event) => void applied.set(event.id, (applied.get(event.id) ?? 0) + 1),
    });
    try {
      await appendEvents(store, 120);
      await waitFor(() => applied.size === 120, { timeoutMs: 15_000, description: 'the first 120 consumed' });

      // The store directory is lost while the broker is down; appends go on meanwhile.
      await server.kill();
      for (const entry of readdirSync(server.storeDir)) rmSync(join(server.storeDir, entry), { recursive: true, force: true });
      await appendEvents(store, 80);
      await server.restart();
      await appendEvents(store, 50);

      const events = await readAllEvents(store);
      expect(events).toHaveLength(250);
      await waitFor(async () => (await streamMessageCount(server.url, 'EVENTS').catch(() => 0)) >= 250, {
        timeoutMs: 30_000,
        description: 'the stream re-filled',
      });
      await waitFor(() => events.every((e) => applied.has(e.id)), { timeoutMs: 30_000, description: 'every event consumed' });
      expect(violationOfExactlyOnceInOrder(events, await readStreamMessages(server.url, 'EVENTS'))).toBeUndefined();
      expect(recreated).toEqual(expect.arrayContaining(['stream:EVENTS', 'drill-consumer']));
      // The recreated durable starts from the stream's beginning: events seen before the loss come
      // again, and the idempotent handler absorbs them; none is missing.
      expect([...applied.keys()].sort()).toEqual(events.map((e) => e.id).sort());
    } finally {
      await consumer.stop();
    }
  });
});
