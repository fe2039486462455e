import { eventStoreMigrations, type RecordedEvent } from '@haidang/event-store';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { InMemoryDeadLetters } from '../dead-letters';
import { InProcessEventBus } from '../in-process/in-process-event-bus';
import { silentLogger } from '../logger';
import { messagingMigrations } from '../migrations';
import { integrationSubjectFilter } from './integration-subjects';
import { OutboxPublisher } from './outbox-publisher';
import { at, rehabCompleted } from './outbox-spec-helpers';
import { writeOutboxMessage } from './write-outbox-message';

jest.setTimeout(30_000);

/** The embedded default: the outbox drained to the in-process bus, read by a durable consumer of another service. */
describe('OutboxPublisher → in-process bus → durable consumer', () => {
  let database: TestDatabase;
  let bus: InProcessEventBus;
  let publisher: OutboxPublisher;

  beforeEach(async () => {
    database = await createTestDatabase({ migrations: [...eventStoreMigrations, ...messagingMigrations] });
    bus = new InProcessEventBus();
    publisher = new OutboxPublisher({ service: 'cases', pool: database.pool, bus, pollIntervalMs: 50, logger: silentLogger });
  });

  afterEach(async () => {
    await publisher.stop();
    await bus.close();
    await database.drop();
  });

  it('delivers integration events, in order and once, as recorded events whose data is the contract', async () => {
    const written = [2, 1, 3].map((n) => rehabCompleted({ prefix: 'int', position: at(n, 1) }));
    for (const message of written) await writeOutboxMessage(database.pool, message);
    await writeOutboxMessage(database.pool, written[0] as (typeof written)[0]); // a redelivered projection batch
    publisher.start();

    const received: RecordedEvent[] = [];
    const deadLetters = new InMemoryDeadLetters();
    const consumer = await bus.consume({
      durable: 'employment-from-cases',
      filterSubjects: [integrationSubjectFilter('cases')],
      deadLetters,
      handler: (event) => {
        received.push(event);
      },
      logger: silentLogger,
    });
    try {
      await waitFor(() => received.length >= 3, { timeoutMs: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received.map((e) => e.id)).toEqual([written[1], written[0], written[2]].map((m) => m?.id));
      expect(received[0]).toMatchObject({ type: 'cases.RehabCompleted.v1', schemaVersion: 1, data: written[1]?.data });
      expect(deadLetters.entries).toHaveLength(0);
    } finally {
      await consumer.stop();
    }
  });
});
