import { Column, Entity, PrimaryColumn } from 'typeorm';
import { eventStoreMigrations, jsonEvent } from '@haidang/event-store';
import { InProcessEventBus, InMemoryDeadLetters, messagingMigrations } from '@haidang/messaging';
import { piiMigrations } from '@haidang/pii';
import { defineProjection, projectionsMigrations, withReadModel } from '@haidang/projections';
import { checkIndicator } from '@haidang/http-platform';
import { createTestDatabase, resolveTestNatsUrl, startNatsServer, waitFor, type TestDatabase } from '@haidang/testing';
import { Registry } from 'prom-client';
import { messagingLoggerFor, natsReadiness, openEventBus, openServiceStorage, startEventPublishing } from './index';

jest.setTimeout(60_000);

@Entity({ name: 'sample_row' })
class SampleRow {
  @PrimaryColumn('text') id!: string;
  @Column('integer') count!: number;
}

const sampleProjection = defineProjection<{ Noted: { id: string } }>({
  name: 'runtime_sample',
  version: 1,
  entities: [SampleRow],
  handlers: { Noted: (event, _em, ctx) => ctx.upsert(SampleRow, { id: event.data.id, count: 1 }) },
});

const migrations = [...eventStoreMigrations, ...messagingMigrations, ...piiMigrations, ...projectionsMigrations];

describe('service runtime', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase({ migrations: [] });
  });
  afterEach(async () => {
    await database.drop();
  });

  it('opens a service database: migrations, store, protector, projections that follow the log; then closes it', async () => {
    const storage = await openServiceStorage({ databaseUrl: database.url, migrations, projections: [sampleProjection], service: 'sample', logLevel: 'silent' });
    try {
      await storage.store.appendToStream('Sample-1', [jsonEvent({ type: 'Noted', data: { id: 'a' }, metadata: { correlationId: 'c' } })], {
        expectedRevision: 'no_stream',
      });
      await waitFor(
        async () => {
          try {
            return (await withReadModel(storage.readModel, 'runtime_sample', (em) => em.query('SELECT id FROM sample_row'))).length === 1;
          } catch {
            return false; // the first build of the read model
          }
        },
        { timeoutMs: 10_000 },
      );
      const sealed = await storage.protector.protect('0b3c5a1e-4c1d-4b8e-9f00-aaaaaaaaaaaa', { name: 'Nguyễn Văn An' }, ['name']);
      expect(sealed.name).not.toContain('Nguy');
    } finally {
      await storage.close();
    }
    // Closed for good: the pool refuses work.
    await expect(storage.pool.query('SELECT 1')).rejects.toThrow();
  });

  it('publishes the service’s own aggregates to the bus and stops cleanly', async () => {
    const storage = await openServiceStorage({ databaseUrl: database.url, migrations, projections: [], service: 'sample', logLevel: 'silent' });
    const bus = new InProcessEventBus();
    const publishing = startEventPublishing({
      service: 'sample',
      aggregates: ['Sample'],
      store: storage.store,
      pool: storage.pool,
      bus,
      registry: new Registry(),
      logger: messagingLoggerFor('sample', 'silent'),
    });
    const received: string[] = [];
    const consumer = await bus.consume({
      durable: 'runtime',
      filterSubjects: ['evt.sample.>'],
      deadLetters: new InMemoryDeadLetters(),
      logger: messagingLoggerFor('sample', 'silent'),
      handler: (e) => void received.push(e.streamId),
    });
    try {
      await storage.store.appendToStream('Sample-1', [jsonEvent({ type: 'Noted', data: { id: 'a' }, metadata: { correlationId: 'c' } })], {
        expectedRevision: 'no_stream',
      });
      await storage.store.appendToStream('Other-1', [jsonEvent({ type: 'Noted', data: { id: 'b' }, metadata: { correlationId: 'c' } })], {
        expectedRevision: 'no_stream',
      });
      await waitFor(() => received.length === 1, { timeoutMs: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received).toEqual(['Sample-1']);
    } finally {
      await consumer.stop();
      await publishing.stop();
      await bus.close();
      await storage.close();
    }
  });

  it('publishes every committed event when the database is the service’s own (no aggregate filter)', async () => {
    const storage = await openServiceStorage({ databaseUrl: database.url, migrations, projections: [], service: 'sample', logLevel: 'silent' });
    const bus = new InProcessEventBus();
    const publishing = startEventPublishing({
      service: 'sample',
      store: storage.store,
      pool: storage.pool,
      bus,
      registry: new Registry(),
      logger: messagingLoggerFor('sample', 'silent'),
    });
    const received: string[] = [];
    const consumer = await bus.consume({
      durable: 'all',
      filterSubjects: ['evt.sample.>'],
      deadLetters: new InMemoryDeadLetters(),
      logger: messagingLoggerFor('sample', 'silent'),
      handler: (e) => void received.push(e.streamId),
    });
    try {
      await storage.store.appendToStream('Sample-1', [jsonEvent({ type: 'Noted', data: { id: 'a' }, metadata: { correlationId: 'c' } })], {
        expectedRevision: 'no_stream',
      });
      await storage.store.appendToStream('AccessLog-1', [jsonEvent({ type: 'Noted', data: { id: 'b' }, metadata: { correlationId: 'c' } })], {
        expectedRevision: 'no_stream',
      });
      await waitFor(() => received.length === 2, { timeoutMs: 10_000 });
      expect(received).toEqual(['Sample-1', 'AccessLog-1']);
    } finally {
      await consumer.stop();
      await publishing.stop();
      await bus.close();
      await storage.close();
    }
  });

  it('answers NATS readiness by a round trip, false once the server is gone', async () => {
    const server = await startNatsServer();
    const readiness = await natsReadiness(server.url, 'sample');
    try {
      expect(await checkIndicator(readiness.indicator)).toBe(true);
      await server.stop();
      expect(await checkIndicator(readiness.indicator)).toBe(false);
    } finally {
      await readiness.close().catch(() => undefined);
    }
  });

  it('opens JetStream with a URL and an in-process bus without one', async () => {
    const inProcess = await openEventBus(undefined);
    expect(inProcess).toBeInstanceOf(InProcessEventBus);
    await inProcess.close();
    const jetstream = await openEventBus(await resolveTestNatsUrl());
    expect(jetstream).not.toBeInstanceOf(InProcessEventBus);
    await jetstream.close();
  });
});
