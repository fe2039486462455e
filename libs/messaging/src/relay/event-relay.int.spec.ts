import { eventStoreMigrations, PostgresEventStore, type RecordedEvent } from '@haidang/event-store';
import { createTestDatabase, createTestJetStream, waitFor, type TestDatabase, type TestJetStream } from '@haidang/testing';
import { Registry } from 'prom-client';
import { decodeEvent, EventHeaders } from '../event-codec';
import { JetStreamEventBus } from '../jetstream/jetstream-event-bus';
import { silentLogger } from '../logger';
import { messagingMigrations } from '../migrations';
import { EventRelay, type EventRelayOptions } from './event-relay';
import { RELAY_LOCK_CLASS } from './relay-lock';
import { appendEvents, readAllEvents, readStreamMessages, streamMessageCount, violationOfExactlyOnceInOrder } from './relay-spec-helpers';

jest.setTimeout(30_000);

describe('EventRelay (PostgreSQL → JetStream)', () => {
  let database: TestDatabase;
  let jetStream: TestJetStream;
  let store: PostgresEventStore;
  let bus: JetStreamEventBus;
  const relays: EventRelay[] = [];

  beforeEach(async () => {
    database = await createTestDatabase({ migrations: [...eventStoreMigrations, ...messagingMigrations], pool: { max: 10 } });
    jetStream = await createTestJetStream();
    store = new PostgresEventStore({ pool: database.pool });
    bus = new JetStreamEventBus({ servers: jetStream.url, stream: jetStream.streamName });
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await bus.close();
    await store.close();
    await jetStream.cleanup();
    await database.drop();
  });

  const relay = (options: Partial<EventRelayOptions> = {}): EventRelay => {
    const created = new EventRelay({
      service: 'cases',
      store,
      pool: database.pool,
      bus,
      subjectPrefix: jetStream.subjectPrefix,
      batchSize: 100,
      pollIntervalMs: 100,
      lockRetryMs: 200,
      backoff: { initialMs: 50, maxMs: 500 },
      logger: silentLogger,
      ...options,
    });
    relays.push(created);
    return created;
  };

  async function expectStreamToMatchStore(): Promise<void> {
    const events = await readAllEvents(store);
    await waitFor(async () => (await streamMessageCount(jetStream.url, jetStream.streamName)) >= events.length, {
      timeoutMs: 20_000,
      description: `${events.length} messages in the stream`,
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // a straggler duplicate would show up now
    expect(violationOfExactlyOnceInOrder(events, await readStreamMessages(jetStream.url, jetStream.streamName))).toBeUndefined();
  }

  it('publishes concurrent appends in global log order, with subjects, headers and payloads', async () => {
    const running = relay();
    running.start();
    await appendEvents(store, 450, { writers: 6 }); // while the relay runs: live, not only catch-up
    await expectStreamToMatchStore();

    const events = await readAllEvents(store);
    const messages = await readStreamMessages(jetStream.url, jetStream.streamName);
    messages.forEach((message, i) => {
      const event = events[i] as RecordedEvent;
      const aggregate = event.streamId.slice(0, event.streamId.indexOf('-'));
      expect(message.subject).toBe(`${jetStream.subjectPrefix}.cases.${aggregate}.${event.type}`);
      expect(message.headers).toMatchObject({
        [EventHeaders.MsgId]: event.id,
        [EventHeaders.EventType]: event.type,
        [EventHeaders.Position]: `${event.position.commit}:${event.position.prepare}`,
        [EventHeaders.StreamId]: event.streamId,
        [EventHeaders.CorrelationId]: event.metadata.correlationId,
      });
      expect(decodeEvent(new TextEncoder().encode(message.payload))).toEqual(event);
    });
    await waitFor(async () => (await running.lag()) === 0, { timeoutMs: 5_000, description: 'lag 0' });
  });

  it('re-sends the batch of a relay killed between publish and checkpoint, and the stream holds each event once', async () => {
    await appendEvents(store, 500);
    let batches = 0;
    const crashing: EventRelay = relay({
      hooks: {
        afterPublish: () => {
          batches++;
          if (batches === 3) {
            void crashing.abort(); // dies here: batch 3 is published, its checkpoint never written
            throw new Error('simulated crash');
          }
        },
      },
    });
    crashing.start();
    await waitFor(() => crashing.status === 'stopped', { timeoutMs: 10_000, description: 'the relay to crash' });
    expect(await streamMessageCount(jetStream.url, jetStream.streamName)).toBe(300);
    const { rows } = await database.pool.query<{ stream_sequence: string }>('SELECT stream_sequence::text FROM messaging_relay_checkpoints');
    expect(rows[0]?.stream_sequence).toBe('200'); // the checkpoint is behind what the stream holds

    const restarted = relay();
    restarted.start();
    await expectStreamToMatchStore();
    await waitFor(async () => (await restarted.lag()) === 0, { timeoutMs: 5_000, description: 'lag 0' });
  });

  it('keeps one relay active; a standby takes over within seconds when the active one loses its lock session', async () => {
    const registryA = new Registry();
    const registryB = new Registry();
    const a = relay({ registry: registryA });
    const b = relay({ registry: registryB });
    a.start();
    await waitFor(() => a.status === 'active', { timeoutMs: 5_000, description: 'a active' });
    b.start();
    await appendEvents(store, 200);
    await waitFor(async () => (await streamMessageCount(jetStream.url, jetStream.streamName)) === 200, { timeoutMs: 10_000 });
    expect(b.status).toBe('standby');
    expect(await registryB.getSingleMetricAsString('haidang_relay_active')).toContain('haidang_relay_active{relay="cases"} 0');

    // The active relay's lock session dies (a crashed pod, a network cut): the lock goes with it.
    const { rows } = await database.pool.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [RELAY_LOCK_CLASS],
    );
    expect(rows).toHaveLength(1);
    const killedAt = Date.now();
    await database.pool.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
    await waitFor(() => b.status === 'active', { timeoutMs: 5_000, description: 'standby b to take over' });
    expect(Date.now() - killedAt).toBeLessThan(5_000);

    await appendEvents(store, 200);
    await expectStreamToMatchStore();
    expect(await registryB.getSingleMetricAsString('haidang_relay_active')).toContain('haidang_relay_active{relay="cases"} 1');
    // The old active one is a standby now: it retries the lock but does not publish.
    expect(a.status).toBe('standby');

    // The active one dies without releasing anything (abort: connections dropped mid-flight).
    await b.abort();
    await waitFor(() => a.status === 'active', { timeoutMs: 5_000, description: 'a to take over again' });
    await appendEvents(store, 100);
    await expectStreamToMatchStore();
  });

  it('exposes relayed events and lag as Prometheus metrics', async () => {
    const registry = new Registry();
    await appendEvents(store, 120);
    const running = relay({ registry });
    expect(await running.lag()).toBe(120);
    running.start();
    await waitFor(async () => (await running.lag()) === 0, { timeoutMs: 10_000 });
    const text = await registry.metrics();
    expect(text).toContain('haidang_relay_events_relayed_total{relay="cases"} 120');
    expect(text).toContain('haidang_relay_lag_events{relay="cases"} 0');
    expect(text).toContain('haidang_relay_active{relay="cases"} 1');
    expect(text).toMatch(/haidang_relay_checkpoint_stream_sequence\{relay="cases"\} 120/);
  });
});
