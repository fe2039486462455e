import { eventStoreMigrations, PostgresEventStore, type RecordedEvent } from '@haidang/event-store';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { EventHeaders } from '../event-codec';
import { InProcessEventBus } from '../in-process/in-process-event-bus';
import { InMemoryDeadLetters } from '../dead-letters';
import { silentLogger } from '../logger';
import { messagingMigrations } from '../migrations';
import { EventRelay } from './event-relay';
import { appendEvents, readAllEvents } from './relay-spec-helpers';

jest.setTimeout(30_000);

/** The embedded default: PostgreSQL (or PGlite) with the in-process bus, no NATS. */
describe('EventRelay → in-process bus → durable consumer', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeEach(async () => {
    database = await createTestDatabase({ migrations: [...eventStoreMigrations, ...messagingMigrations] });
    store = new PostgresEventStore({ pool: database.pool });
  });

  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  const relayTo = (bus: InProcessEventBus): EventRelay =>
    new EventRelay({ service: 'cases', store, pool: database.pool, bus, batchSize: 64, pollIntervalMs: 50, logger: silentLogger });

  it('delivers every event in log order to a consumer, and refills a new bus after a process restart', async () => {
    await appendEvents(store, 150);
    const bus = new InProcessEventBus();
    const relay = relayTo(bus);
    relay.start();
    const received: RecordedEvent[] = [];
    const consumer = await bus.consume({
      durable: 'caseload',
      filterSubjects: ['evt.cases.>'],
      deadLetters: new InMemoryDeadLetters(),
      logger: silentLogger,
      handler: (event) => void received.push(event),
    });
    await appendEvents(store, 150);
    const events = await readAllEvents(store);
    await waitFor(() => received.length >= events.length, { timeoutMs: 10_000 });
    expect(received.map((e) => e.id)).toEqual(events.map((e) => e.id));
    await consumer.stop();
    await relay.stop();
    await bus.close();

    // The process restarts: the in-memory stream is empty but the checkpoint (in PostgreSQL) is not.
    // The relay sees the stream behind its checkpoint and publishes the log again.
    const fresh = new InProcessEventBus();
    const again = relayTo(fresh);
    again.start();
    try {
      await waitFor(async () => (await (await fresh.openPublisher()).streamState()).messages === events.length, { timeoutMs: 10_000 });
      const publisher = await fresh.openPublisher();
      const last = await publisher.lastMessage('evt.cases.>');
      expect(last?.headers[EventHeaders.MsgId]).toBe(events[events.length - 1]?.id);
    } finally {
      await again.stop();
      await fresh.close();
    }
  });
});
