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
    const said: { level: string; message: string }[] = [];
    const capture = {
      info: (message: string) => void said.push({ level: 'info', message }),
      warn: (message: string) => void said.push({ level: 'warn', message }),
      error: (message: string) => void said.push({ level: 'error', message }),
    };
    const again = new EventRelay({ service: 'cases', store, pool: database.pool, bus: fresh, batchSize: 64, pollIntervalMs: 50, logger: capture });
    again.start();
    try {
      await waitFor(async () => (await (await fresh.openPublisher()).streamState()).messages === events.length, { timeoutMs: 10_000 });
      const publisher = await fresh.openPublisher();
      const last = await publisher.lastMessage('evt.cases.>');
      expect(last?.headers[EventHeaders.MsgId]).toBe(events[events.length - 1]?.id);
      // The expected case after a restart on an in-process bus, not a loss: said quietly.
      expect(said.filter((s) => s.level !== 'info')).toEqual([]);
      expect(said.map((s) => s.message)).toContain('new in-process stream; publishing the log again');
    } finally {
      await again.stop();
      await fresh.close();
    }
  });

  it('relays of two services over one shared database each publish their own aggregates, in log order, and no more after a restart', async () => {
    await appendEvents(store, 120);
    const bus = new InProcessEventBus();
    // Small pages, so that some pages hold nothing of a relay's own and are passed over.
    const relayOf = (service: string, aggregate: string): EventRelay =>
      new EventRelay({ service, aggregates: [aggregate], store, pool: database.pool, bus, batchSize: 2, pollIntervalMs: 50, logger: silentLogger });
    const cases = relayOf('cases', 'RehabCase');
    const people = relayOf('people', 'Person');
    cases.start();
    people.start();
    const events = await readAllEvents(store);
    const ids = (aggregate: string) => events.filter((e) => e.streamId.startsWith(`${aggregate}-`)).map((e) => e.id);
    const publisher = await bus.openPublisher();
    try {
      await waitFor(async () => (await publisher.streamState()).messages === events.length, { timeoutMs: 10_000 });
      const received = { cases: [] as string[], people: [] as string[] };
      const consumers = await Promise.all(
        (['cases', 'people'] as const).map((service) =>
          bus.consume({
            durable: `all-${service}`,
            filterSubjects: [`evt.${service}.>`],
            deadLetters: new InMemoryDeadLetters(),
            logger: silentLogger,
            handler: (event) => void received[service].push(event.id),
          }),
        ),
      );
      await waitFor(() => received.cases.length + received.people.length === events.length, { timeoutMs: 10_000 });
      expect(received.cases).toEqual(ids('RehabCase'));
      expect(received.people).toEqual(ids('Person'));
      // Caught up: neither counts the other's events as its own lag.
      await waitFor(async () => (await cases.lag()) === 0 && (await people.lag()) === 0, { timeoutMs: 10_000 });
      for (const consumer of consumers) await consumer.stop();

      // A restart re-reads the passed-over pages; the checkpoint sits at the relay's own newest
      // event, so nothing is taken for a broker loss and nothing is published twice.
      await cases.stop();
      const restarted = relayOf('cases', 'RehabCase');
      restarted.start();
      await appendEvents(store, 6, { writers: 1, perAppend: 1 });
      const total = (await readAllEvents(store)).filter((e) => e.streamId.startsWith('RehabCase-')).length;
      await waitFor(async () => (await publisher.streamState()).messages === events.length + total - ids('RehabCase').length, { timeoutMs: 10_000 });
      await new Promise((r) => setTimeout(r, 300));
      expect((await publisher.streamState()).messages).toBe(events.length + total - ids('RehabCase').length);
      await restarted.stop();
    } finally {
      await cases.stop();
      await people.stop();
      await publisher.close();
      await bus.close();
    }
  });
});
