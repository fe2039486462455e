/**
 * Drill (issue 18, point 3): the relay publishes but cannot save its checkpoint (a full disk, a
 * read-only failover) for longer than the stream's duplicate window. When it can again, it must
 * not publish a second time what the stream already holds: it resumes after the newest message of
 * its own in the stream (its position header), once that message is known to be the store's event
 * at that position.
 */
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

/** Shorter than the outage below: a re-published message would not be dropped as a duplicate. */
const DUPLICATE_WINDOW_MS = 500;

describe('EventRelay whose checkpoint cannot be saved for longer than the duplicate window', () => {
  let server: NatsServerHandle;
  let database: TestDatabase;
  let store: PostgresEventStore;
  let bus: JetStreamEventBus;
  let relay: EventRelay;
  let checkpointsFail = false;

  beforeEach(async () => {
    [server, database] = await Promise.all([
      startNatsServer(),
      createTestDatabase({ migrations: [...eventStoreMigrations, ...messagingMigrations], pool: { max: 10 } }),
    ]);
    const nc = await connect({ servers: server.url, reconnect: false });
    try {
      await ensureEventStream(await jetstreamManager(nc), { name: 'EVENTS', subjects: ['evt.>'], duplicateWindowMs: DUPLICATE_WINDOW_MS });
    } finally {
      await nc.close();
    }
    store = new PostgresEventStore({ pool: database.pool });
    bus = new JetStreamEventBus({ servers: server.url, stream: 'EVENTS', ackTimeoutMs: 2_000 });
    relay = new EventRelay({
      service: 'cases',
      store,
      pool: database.pool,
      bus,
      batchSize: 25,
      pollIntervalMs: 50,
      lockRetryMs: 200,
      backoff: { initialMs: 50, maxMs: 200 },
      registry: new Registry(),
      logger: silentLogger,
      // Published, then the checkpoint write fails: what a full disk does after the broker acked.
      hooks: {
        afterPublish: () => {
          if (checkpointsFail) throw new Error('checkpoint write refused');
        },
      },
    });
  });

  afterEach(async () => {
    await relay.stop();
    await bus.close();
    await store.close();
    await Promise.all([database.drop(), server.destroy()]);
  });

  it('resumes after what the stream holds, so nothing is published twice', async () => {
    relay.start();
    await appendEvents(store, 50);
    await waitFor(async () => (await streamMessageCount(server.url, 'EVENTS')) === 50, { timeoutMs: 10_000 });

    checkpointsFail = true;
    await appendEvents(store, 100);
    // Every failing session publishes its batch again; the window lets the first copies in.
    await new Promise((resolve) => setTimeout(resolve, 3 * DUPLICATE_WINDOW_MS));
    checkpointsFail = false;

    const events = await readAllEvents(store);
    await waitFor(async () => (await relay.lag()) === 0, { timeoutMs: 15_000, description: 'the relay caught up' });
    await new Promise((resolve) => setTimeout(resolve, 2 * DUPLICATE_WINDOW_MS));
    expect(violationOfExactlyOnceInOrder(events, await readStreamMessages(server.url, 'EVENTS'))).toBeUndefined();
  });
});
