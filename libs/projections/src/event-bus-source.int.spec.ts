import { eventStoreMigrations, jsonEvent, PostgresEventStore, type RecordedEvent } from '@haidang/event-store';
import {
  encodeEvent,
  eventHeaders,
  InMemoryDeadLetters,
  InProcessEventBus,
  JetStreamEventBus,
  silentLogger,
  subjectForEvent,
  type EventBus,
  type OutgoingMessage,
} from '@haidang/messaging';
import { createTestDatabase, createTestJetStream, type TestDatabase, type TestJetStream } from '@haidang/testing';
import { DataSource } from 'typeorm';
import { EventBusSource } from './event-bus-source';
import { projectionsMigrations } from './migrations/projections.migrations';
import { ProjectionRunner } from './projection-runner';
import { caseloadEntities, caseloadProjection, generateHistory, readAllEvents, readRows, referenceState } from './test-fixtures/caseload.fixture';

jest.setTimeout(60_000);

interface BusUnderTest {
  readonly bus: EventBus;
  readonly prefix: string;
  close(): Promise<void>;
}

const buses: [string, () => Promise<BusUnderTest>][] = [
  [
    'the in-process bus',
    async () => {
      const bus = new InProcessEventBus();
      return { bus, prefix: 'evt', close: () => bus.close() };
    },
  ],
  [
    'JetStream',
    async () => {
      const js: TestJetStream = await createTestJetStream();
      const bus = new JetStreamEventBus({ servers: js.url, stream: js.streamName });
      return {
        bus,
        prefix: js.subjectPrefix,
        close: async () => {
          await bus.close();
          await js.cleanup();
        },
      };
    },
  ],
];

describe.each(buses)('EventBusSource on %s', (_name, openBus) => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let underTest: BusUnderTest;
  let runner: ProjectionRunner | undefined;

  beforeEach(async () => {
    db = await createTestDatabase({ migrations: [...eventStoreMigrations, ...projectionsMigrations] });
    store = new PostgresEventStore({ pool: db.pool });
    dataSource = new DataSource({ type: 'postgres', url: db.url, entities: caseloadEntities, poolSize: 4, logging: false });
    await dataSource.initialize();
    underTest = await openBus();
  });

  afterEach(async () => {
    await runner?.stop();
    await underTest.close();
    await dataSource.destroy();
    await store.close();
    await db.drop();
  });

  /** What the relay does: one message per event, de-duplicated by its id. */
  async function publish(events: readonly RecordedEvent[], msgIdSuffix = ''): Promise<void> {
    const publisher = await underTest.bus.openPublisher();
    try {
      const messages: OutgoingMessage[] = events.map((e) => ({
        subject: subjectForEvent('cases', e, { prefix: underTest.prefix }),
        data: encodeEvent(e),
        msgId: `${e.id}${msgIdSuffix}`,
        headers: eventHeaders(e),
      }));
      await publisher.publishBatch(messages);
    } finally {
      await publisher.close();
    }
  }

  it('applies what the durable consumer delivers, and skips what is delivered again', async () => {
    await generateHistory(store, { cases: 40, persons: 15, seed: 31 });
    const events = await readAllEvents(store);
    await publish(events);
    runner = new ProjectionRunner({
      projection: caseloadProjection('caseload', 1),
      dataSource,
      source: new EventBusSource(underTest.bus, {
        durable: 'proj_caseload_v1',
        filterSubjects: [`${underTest.prefix}.>`],
        deadLetters: new InMemoryDeadLetters(),
        logger: silentLogger,
      }),
      logger: { warn: () => undefined, error: () => undefined },
    });
    await runner.start();
    await runner.waitForCheckpoint((events[events.length - 1] as RecordedEvent).position, { timeoutMs: 30_000 });
    expect(await readRows(dataSource, 'proj_caseload_v1')).toEqual(referenceState(events));

    // The relay re-sends a range (as after a broker lost its tail), then a new event follows.
    await publish(events.slice(100, 200), ':resent');
    const openCase = referenceState(events).cases[0]?.case_id as string;
    await store.appendToStream(`RehabCase-${openCase}`, jsonEvent({ type: 'ProgressNoted', data: { caseId: openCase } }));
    const all = await readAllEvents(store);
    await publish(all.slice(events.length));
    await runner.waitForCheckpoint((all[all.length - 1] as RecordedEvent).position, { timeoutMs: 30_000 });
    expect(await readRows(dataSource, 'proj_caseload_v1')).toEqual(referenceState(all));
  });

  it('with the store, applies what the bus announces in batches read from the store (one transaction for many messages)', async () => {
    await generateHistory(store, { cases: 40, persons: 15, seed: 32 });
    const events = await readAllEvents(store);
    await publish(events);
    let transactions = 0;
    runner = new ProjectionRunner({
      projection: caseloadProjection('caseload', 1),
      dataSource,
      source: new EventBusSource(underTest.bus, {
        durable: 'proj_caseload_v1',
        filterSubjects: [`${underTest.prefix}.>`],
        deadLetters: new InMemoryDeadLetters(),
        logger: silentLogger,
        store,
        batchSize: 100,
      }),
      metrics: { track: () => () => undefined, eventsApplied: (_key, n) => (transactions += n > 0 ? 1 : 0), deadLettered: () => undefined },
      logger: { warn: () => undefined, error: () => undefined },
    });
    await runner.start();
    await runner.waitForCheckpoint((events[events.length - 1] as RecordedEvent).position, { timeoutMs: 30_000 });
    expect(await readRows(dataSource, 'proj_caseload_v1')).toEqual(referenceState(events));
    // Batches of at most 100 from the store, not one transaction per message.
    expect(transactions).toBe(Math.ceil(events.length / 100));

    // Redelivered messages are covered: nothing changes; a new event is read and applied.
    await publish(events.slice(100, 200), ':resent');
    const openCase = referenceState(events).cases[0]?.case_id as string;
    await store.appendToStream(`RehabCase-${openCase}`, jsonEvent({ type: 'ProgressNoted', data: { caseId: openCase } }));
    const all = await readAllEvents(store);
    await publish(all.slice(events.length));
    await runner.waitForCheckpoint((all[all.length - 1] as RecordedEvent).position, { timeoutMs: 30_000 });
    expect(await readRows(dataSource, 'proj_caseload_v1')).toEqual(referenceState(all));
  });
});
