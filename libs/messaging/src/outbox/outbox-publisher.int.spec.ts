import { randomUUID } from 'node:crypto';
import { eventStoreMigrations } from '@haidang/event-store';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createTestDatabase, createTestJetStream, waitFor, type TestDatabase, type TestJetStream } from '@haidang/testing';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { EventBus } from '../bus/event-bus';
import { decodeEvent, EventHeaders } from '../event-codec';
import { ensureEventStream } from '../jetstream/ensure-event-stream';
import { JetStreamEventBus } from '../jetstream/jetstream-event-bus';
import { silentLogger } from '../logger';
import { messagingMigrations } from '../migrations';
import { readStreamMessages, streamMessageCount, type StreamMessage } from '../relay/relay-spec-helpers';
import { integrationPrefixFor } from './integration-subjects';
import { OutboxPublisher, type OutboxPublisherOptions } from './outbox-publisher';
import { at, rehabCompleted, SERVICE } from './outbox-spec-helpers';
import { writeOutboxMessage } from './write-outbox-message';

jest.setTimeout(30_000);

describe('OutboxPublisher (PostgreSQL outbox → JetStream)', () => {
  let database: TestDatabase;
  let jetStream: TestJetStream;
  let prefix: string;
  let bus: JetStreamEventBus;
  const publishers: OutboxPublisher[] = [];

  beforeEach(async () => {
    [database, jetStream] = await Promise.all([
      createTestDatabase({ migrations: [...eventStoreMigrations, ...messagingMigrations], pool: { max: 10 } }),
      createTestJetStream({ create: false }),
    ]);
    // The stream as services create it: domain-event subjects, and the integration ones derived from them.
    const nc = await connect({ servers: jetStream.url, reconnect: false });
    try {
      await ensureEventStream(await jetstreamManager(nc), { name: jetStream.streamName, subjects: [`${jetStream.subjectPrefix}.>`], storage: 'memory' });
    } finally {
      await nc.close();
    }
    prefix = integrationPrefixFor(jetStream.subjectPrefix) as string;
    bus = new JetStreamEventBus({ servers: jetStream.url, stream: jetStream.streamName, ackTimeoutMs: 2_000 });
  });

  afterEach(async () => {
    await Promise.all(publishers.splice(0).map((p) => p.stop()));
    await bus.close();
    await jetStream.cleanup();
    await database.drop();
  });

  const publisher = (options: Partial<OutboxPublisherOptions> = {}): OutboxPublisher => {
    const created = new OutboxPublisher({
      service: SERVICE,
      pool: database.pool,
      bus,
      batchSize: 50,
      pollIntervalMs: 50,
      lockRetryMs: 200,
      backoff: { initialMs: 50, maxMs: 300 },
      logger: silentLogger,
      ...options,
    });
    publishers.push(created);
    return created;
  };

  const messages = (): Promise<StreamMessage[]> => readStreamMessages(jetStream.url, jetStream.streamName);
  const count = (): Promise<number> => streamMessageCount(jetStream.url, jetStream.streamName);
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 300)); // a straggler would show up now

  async function inTransaction(work: (client: import('pg').PoolClient) => Promise<void>, outcome: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query(outcome);
    } finally {
      client.release();
    }
  }

  it('publishes a committed message once, with its id, subject, headers and payload; a rolled-back one never', async () => {
    const kept = { ...rehabCompleted({ prefix, position: at(10, 7), correlationId: randomUUID() }), headers: { 'Hd-Tenant': '22' } };
    const dropped = rehabCompleted({ prefix, position: at(9, 1) });
    await inTransaction((client) => writeOutboxMessage(client, dropped).then(() => undefined), 'ROLLBACK');
    await inTransaction((client) => writeOutboxMessage(client, kept).then(() => undefined), 'COMMIT');
    publisher().start();

    await waitFor(async () => (await count()) >= 1, { timeoutMs: 10_000 });
    await waitFor(async () => (await database.pool.query('SELECT 1 FROM messaging_outbox WHERE published_at IS NOT NULL')).rowCount === 1, {
      timeoutMs: 5_000,
    });
    await settle();
    const stored = await messages();
    expect(stored).toHaveLength(1);
    const [message] = stored as [StreamMessage];
    expect(message.subject).toBe(`${prefix}.cases.RehabCompleted.v1`);
    expect(message.headers).toMatchObject({
      [EventHeaders.MsgId]: kept.id,
      [EventHeaders.EventType]: 'cases.RehabCompleted.v1',
      [EventHeaders.SchemaVersion]: '1',
      [EventHeaders.StreamId]: kept.sourceStreamId,
      [EventHeaders.Position]: '10:7',
      [EventHeaders.CorrelationId]: kept.correlationId,
      [EventHeaders.CausationId]: kept.causationId,
      'Hd-Tenant': '22',
    });
    const event = decodeEvent(new TextEncoder().encode(message.payload));
    expect(event).toMatchObject({ id: kept.id, type: 'cases.RehabCompleted.v1', schemaVersion: 1, streamId: kept.sourceStreamId, data: kept.data });
    expect(event.metadata).toEqual({ correlationId: kept.correlationId, causationId: kept.causationId });

    const { rows } = await database.pool.query<{ id: string; published_seq: string; published_stream: string }>(
      'SELECT id::text, published_seq::text, published_stream FROM messaging_outbox WHERE published_at IS NOT NULL',
    );
    expect(rows).toEqual([{ id: kept.id, published_seq: String(message.seq), published_stream: jetStream.streamName }]);
  });

  it('writes through a TypeORM EntityManager in its transaction, and a second write of the same id is harmless', async () => {
    const dataSource = new DataSource({ type: 'postgres', url: database.url, poolSize: 2, logging: false });
    await dataSource.initialize();
    try {
      const message = rehabCompleted({ prefix, position: at(5, 1) });
      const first = await dataSource.transaction((em) => writeOutboxMessage(em, message));
      // A projection batch redelivered after a crash computes the same message again.
      const again = await dataSource.transaction((em) => writeOutboxMessage(em, { ...message, data: { ...message.data, n: -1 } }));
      expect(first).toEqual({ inserted: true, subject: `${prefix}.cases.RehabCompleted.v1` });
      expect(again.inserted).toBe(false);
      await expect(
        dataSource.transaction(async (em) => {
          await writeOutboxMessage(em, rehabCompleted({ prefix, position: at(5, 2) }));
          throw new Error('the projection handler failed');
        }),
      ).rejects.toThrow('handler failed');

      publisher().start();
      await waitFor(async () => (await count()) >= 1, { timeoutMs: 10_000 });
      // …and once more after it was published: still nothing new.
      expect((await dataSource.transaction((em) => writeOutboxMessage(em, message))).inserted).toBe(false);
      await settle();
      const stored = await messages();
      expect(stored.map((m) => m.headers[EventHeaders.MsgId])).toEqual([message.id]);
      expect(decodeEvent(new TextEncoder().encode(stored[0]?.payload)).data).toEqual(message.data); // the first write won
    } finally {
      await dataSource.destroy();
    }
  });

  it('publishes in the order of the source position, then of insertion, whatever the order of the writes', async () => {
    const positions = [at(30, 3), at(10, 1), at(20, 9), at(20, 2), at(10, 1), at(40, 1)];
    const written = positions.map((position) => rehabCompleted({ prefix, position }));
    await inTransaction(async (client) => {
      for (const message of written) await writeOutboxMessage(client, message);
    }, 'COMMIT');
    publisher({ batchSize: 2 }).start(); // several batches

    await waitFor(async () => (await count()) >= written.length, { timeoutMs: 10_000 });
    const expected = [written[1], written[4], written[3], written[2], written[0], written[5]].map((m) => m?.id);
    expect((await messages()).map((m) => m.headers[EventHeaders.MsgId])).toEqual(expected);
  });

  it('never skips a row whose transaction commits after later rows were published', async () => {
    publisher().start();
    const late = rehabCompleted({ prefix, position: at(1, 1) });
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      await writeOutboxMessage(client, late); // open: the publisher cannot see it yet
      await writeOutboxMessage(database.pool, rehabCompleted({ prefix, position: at(2, 1) }));
      await waitFor(async () => (await count()) === 1, { timeoutMs: 10_000 });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await waitFor(async () => (await count()) === 2, { timeoutMs: 10_000 });
    expect((await messages())[1]?.headers[EventHeaders.MsgId]).toBe(late.id);
  });

  it('re-sends a batch it could not mark, and the broker keeps one copy of each message', async () => {
    let crashes = 0;
    const first = publisher({
      hooks: {
        afterPublish: () => {
          if (crashes++ < 2) throw new Error('crashed between publish and mark');
        },
      },
    });
    const written = [1, 2, 3, 4, 5].map((n) => rehabCompleted({ prefix, position: at(n, 1) }));
    for (const message of written) await writeOutboxMessage(database.pool, message);
    first.start();
    await waitFor(async () => (await first.backlog()).pending === 0, { timeoutMs: 10_000 });
    expect(crashes).toBe(3); // two failed marks, then a success

    // A restart after a crash in the same place: the second publisher re-sends, the broker drops it.
    const doomed = rehabCompleted({ prefix, position: at(6, 1) });
    await first.stop();
    const crashing = publisher({
      hooks: {
        afterPublish: () => {
          throw new Error('crash');
        },
      },
    });
    await writeOutboxMessage(database.pool, doomed);
    crashing.start();
    await waitFor(async () => (await count()) === 6, { timeoutMs: 10_000 });
    await crashing.stop();
    const { rows: failed } = await database.pool.query<{ attempts: number; last_error: string }>(
      'SELECT attempts, last_error FROM messaging_outbox WHERE id = $1',
      [doomed.id],
    );
    expect(failed[0]?.attempts).toBeGreaterThan(0);
    expect(failed[0]?.last_error).toContain('crash');
    publisher().start();
    await waitFor(async () => (await publishers[2]?.backlog())?.pending === 0, { timeoutMs: 10_000 });
    await settle();

    const stored = await messages();
    expect(stored.map((m) => m.headers[EventHeaders.MsgId])).toEqual([...written, doomed].map((m) => m.id));
    const { rows } = await database.pool.query<{ id: string; published_seq: string }>('SELECT id::text, published_seq::text FROM messaging_outbox');
    for (const row of rows) expect(row.published_seq).toBe(String(stored.find((m) => m.headers[EventHeaders.MsgId] === row.id)?.seq));
  });

  it('lets one publisher per service publish; a standby takes over when it stops', async () => {
    const registries = [new Registry(), new Registry()];
    const [a, b] = registries.map((registry) => publisher({ registry })) as [OutboxPublisher, OutboxPublisher];
    a.start();
    await waitFor(() => a.status() === 'active', { timeoutMs: 5_000 });
    b.start();
    for (let n = 1; n <= 40; n++) await writeOutboxMessage(database.pool, rehabCompleted({ prefix, position: at(n, 1) }));
    const publishedBy = async (registry: Registry): Promise<number> =>
      (await registry.getSingleMetric('haidang_outbox_published_total')?.get())?.values[0]?.value ?? 0;
    // The counter moves after the rows are marked, which is after the broker holds them.
    await waitFor(async () => (await publishedBy(registries[0] as Registry)) === 40, { timeoutMs: 10_000 });
    expect(await count()).toBe(40);
    expect(b.status()).toBe('standby');
    expect(await publishedBy(registries[1] as Registry)).toBe(0);

    await a.stop();
    await waitFor(() => b.status() === 'active', { timeoutMs: 5_000 });
    for (let n = 41; n <= 50; n++) await writeOutboxMessage(database.pool, rehabCompleted({ prefix, position: at(n, 1) }));
    await waitFor(async () => (await publishedBy(registries[1] as Registry)) === 10, { timeoutMs: 10_000 });
    await settle();
    const ids = (await messages()).map((m) => m.headers[EventHeaders.MsgId]);
    expect(ids).toHaveLength(50);
    expect(new Set(ids).size).toBe(50);
  });

  it('reports the pending count and the age of the oldest pending message of its service', async () => {
    const registry = new Registry();
    // A broker that never answers: nothing leaves the outbox, so the backlog stays as written.
    const unreachable: EventBus = {
      stream: 'NONE',
      persistent: true,
      openPublisher: () => Promise.reject(new Error('broker down')),
      consume: () => Promise.reject(new Error('broker down')),
      close: async () => undefined,
    };
    const stuck = publisher({ registry, bus: unreachable });
    await database.pool.query(
      `INSERT INTO messaging_outbox (id, service, subject, payload, created_at) VALUES ($1, 'cases', 'int.cases.X.v1', '\\x00', now() - interval '90 seconds')`,
      [randomUUID()],
    );
    await writeOutboxMessage(database.pool, rehabCompleted({ prefix }));
    await writeOutboxMessage(database.pool, { ...rehabCompleted({ prefix }), service: 'referrals' }); // another service's
    stuck.start();
    await waitFor(async () => (await registry.metrics()).includes('haidang_outbox_publish_failures_total{service="cases"}'), { timeoutMs: 5_000 });

    const text = await registry.metrics();
    expect(text).toContain('haidang_outbox_pending_messages{service="cases"} 2');
    expect(text).toContain('haidang_outbox_publisher_active{service="cases"} 1');
    const age = Number(/haidang_outbox_oldest_pending_age_seconds\{service="cases"\} ([\d.]+)/.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(120);
  });
});
