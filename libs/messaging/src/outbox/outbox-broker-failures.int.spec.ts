import { eventStoreMigrations } from '@haidang/event-store';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createTestDatabase, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@haidang/testing';
import { Registry } from 'prom-client';
import { EventHeaders } from '../event-codec';
import { ensureEventStream } from '../jetstream/ensure-event-stream';
import { JetStreamEventBus } from '../jetstream/jetstream-event-bus';
import { silentLogger } from '../logger';
import { messagingMigrations } from '../migrations';
import { readStreamMessages, streamMessageCount } from '../relay/relay-spec-helpers';
import { OutboxPublisher } from './outbox-publisher';
import { at, rehabCompleted } from './outbox-spec-helpers';
import { writeOutboxMessage } from './write-outbox-message';

jest.setTimeout(60_000);

/** These stop and restart the broker, so each test gets a nats-server of its own (default EVENTS / evt.> / int.>). */
describe('OutboxPublisher when the broker fails', () => {
  let server: NatsServerHandle;
  let database: TestDatabase;
  let bus: JetStreamEventBus;
  let registry: Registry;
  let publisher: OutboxPublisher;

  beforeEach(async () => {
    [server, database] = await Promise.all([startNatsServer(), createTestDatabase({ migrations: [...eventStoreMigrations, ...messagingMigrations] })]);
    const nc = await connect({ servers: server.url, reconnect: false });
    try {
      await ensureEventStream(await jetstreamManager(nc)); // the production defaults
    } finally {
      await nc.close();
    }
    bus = new JetStreamEventBus({ servers: server.url, ackTimeoutMs: 2_000 });
    registry = new Registry();
    publisher = new OutboxPublisher({
      service: 'cases',
      pool: database.pool,
      bus,
      registry,
      pollIntervalMs: 50,
      backoff: { initialMs: 50, maxMs: 300 },
      logger: silentLogger,
    });
  });

  afterEach(async () => {
    await publisher.stop();
    await bus.close();
    await Promise.all([database.drop(), server.destroy()]);
  });

  const count = (): Promise<number> => streamMessageCount(server.url, 'EVENTS');

  it('keeps rows while the broker is down and publishes each once, in order, when it returns', async () => {
    const written = [1, 2, 3].map((n) => rehabCompleted({ prefix: 'int', position: at(n, 1) }));
    for (const message of written.slice(0, 1)) await writeOutboxMessage(database.pool, message);
    publisher.start();
    await waitFor(async () => (await count()) === 1, { timeoutMs: 10_000 });

    await server.stop();
    for (const message of written.slice(1)) await writeOutboxMessage(database.pool, message); // the writer never waits for the broker
    await waitFor(async () => (await registry.metrics()).includes('haidang_outbox_publish_failures_total{service="cases"}'), {
      timeoutMs: 10_000,
      description: 'the publisher to notice the broker is gone',
    });
    expect(publisher.status()).toBe('active'); // keeps the lock and retries
    expect((await publisher.backlog()).pending).toBe(2);

    await server.restart();
    await waitFor(async () => (await publisher.backlog()).pending === 0, { timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stored = await readStreamMessages(server.url, 'EVENTS');
    expect(stored.map((m) => m.headers[EventHeaders.MsgId])).toEqual(written.map((m) => m.id));
    expect(stored.map((m) => m.subject)).toEqual(written.map(() => 'int.cases.RehabCompleted.v1'));
  });

  it('does not publish twice when the broker stored a batch but the publisher never saw the acks', async () => {
    const written = [1, 2, 3, 4].map((n) => rehabCompleted({ prefix: 'int', position: at(n, 1) }));
    for (const message of written) await writeOutboxMessage(database.pool, message);
    let stopped = false;
    publisher = new OutboxPublisher({
      service: 'cases',
      pool: database.pool,
      bus,
      registry,
      pollIntervalMs: 50,
      backoff: { initialMs: 50, maxMs: 300 },
      logger: silentLogger,
      hooks: {
        // The broker has the batch; the publisher dies with the broker before it marks the rows.
        afterPublish: async () => {
          if (stopped) return;
          stopped = true;
          await server.stop();
          throw new Error('lost the broker before marking');
        },
      },
    });
    publisher.start();
    await waitFor(() => stopped, { timeoutMs: 10_000 });
    expect((await publisher.backlog()).pending).toBe(4);
    await server.restart();
    await waitFor(async () => (await publisher.backlog()).pending === 0, { timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stored = await readStreamMessages(server.url, 'EVENTS');
    expect(stored.map((m) => m.headers[EventHeaders.MsgId])).toEqual(written.map((m) => m.id));
  });
});
