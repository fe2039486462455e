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

  it('publishes everything again to a new process’s bus, which starts empty, and no more than that once it holds them', async () => {
    const written = [1, 2, 3].map((n) => rehabCompleted({ prefix: 'int', position: at(n, 1) }));
    for (const message of written) await writeOutboxMessage(database.pool, message);
    publisher.start();
    await waitFor(async () => (await publisher.backlog()).pending === 0, { timeoutMs: 10_000 });
    await publisher.stop();

    // The process restarts: the rows are marked published, the new in-process stream holds nothing.
    const fresh = new InProcessEventBus();
    const again = new OutboxPublisher({ service: 'cases', pool: database.pool, bus: fresh, pollIntervalMs: 50, logger: silentLogger });
    const received: string[] = [];
    const consumer = await fresh.consume({
      durable: 'after-restart',
      filterSubjects: [integrationSubjectFilter('cases')],
      deadLetters: new InMemoryDeadLetters(),
      logger: silentLogger,
      handler: (event) => void received.push(event.id),
    });
    again.start();
    try {
      await waitFor(() => received.length >= 3, { timeoutMs: 10_000 });
      expect(received).toEqual(written.map((m) => m.id));
      // A new session on the same stream finds its newest message there: nothing is sent twice.
      await again.stop();
      const third = new OutboxPublisher({ service: 'cases', pool: database.pool, bus: fresh, pollIntervalMs: 50, logger: silentLogger });
      third.start();
      await new Promise((resolve) => setTimeout(resolve, 400));
      await third.stop();
      const state = await (await fresh.openPublisher()).streamState();
      expect(state.messages).toBe(3);
      expect(received).toHaveLength(3);
    } finally {
      await consumer.stop();
      await again.stop();
      await fresh.close();
    }
  });

  it('after a crash between the ack and the mark, sends again only the unmarked row, not everything it kept', async () => {
    // No duplicate window: every message published twice would show in the stream.
    const noDedup = new InProcessEventBus({ duplicateWindowMs: 0 });
    const written = [1, 2, 3, 4].map((n) => rehabCompleted({ prefix: 'int', position: at(n, 1) }));
    for (const message of written.slice(0, 3)) await writeOutboxMessage(database.pool, message);
    const first = new OutboxPublisher({ service: 'cases', pool: database.pool, bus: noDedup, pollIntervalMs: 50, logger: silentLogger });
    first.start();
    await waitFor(async () => (await first.backlog()).pending === 0, { timeoutMs: 10_000 });
    await first.stop();
    // The fourth is acknowledged by the stream, then the publisher dies before marking it.
    await writeOutboxMessage(database.pool, written[3] as (typeof written)[0]);
    let failed = false;
    const crashing = new OutboxPublisher({
      service: 'cases',
      pool: database.pool,
      bus: noDedup,
      pollIntervalMs: 50,
      logger: silentLogger,
      hooks: {
        afterPublish: () => {
          failed = true;
          throw new Error('killed before the mark');
        },
      },
    });
    crashing.start();
    await waitFor(() => failed, { timeoutMs: 10_000 });
    await crashing.stop();
    const publisher = await noDedup.openPublisher();
    expect((await publisher.streamState()).messages).toBe(4);

    const next = new OutboxPublisher({ service: 'cases', pool: database.pool, bus: noDedup, pollIntervalMs: 50, logger: silentLogger });
    next.start();
    try {
      await waitFor(async () => (await next.backlog()).pending === 0, { timeoutMs: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // At least once for the unmarked fourth; the three marked ones are not sent again.
      expect((await publisher.streamState()).messages).toBe(5);
    } finally {
      await next.stop();
      await publisher.close();
      await noDedup.close();
    }
  });

  it('does not send a message again when it is written anew after its row was published and pruned (a rebuilt projection)', async () => {
    const message = rehabCompleted({ prefix: 'int', position: at(1, 1) });
    expect((await writeOutboxMessage(database.pool, message)).inserted).toBe(true);
    publisher.start();
    await waitFor(async () => (await publisher.backlog()).pending === 0, { timeoutMs: 10_000 });
    // The retention prunes the published row; days later a projection rebuilt from position 0 writes it again.
    await database.pool.query('DELETE FROM messaging_outbox WHERE id = $1', [message.id]);
    expect((await writeOutboxMessage(database.pool, message)).inserted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stream = await bus.openPublisher();
    try {
      expect((await stream.streamState()).messages).toBe(1);
      expect((await database.pool.query('SELECT count(*)::int AS n FROM messaging_outbox')).rows[0]).toEqual({ n: 0 });
    } finally {
      await stream.close();
    }
  });
});
