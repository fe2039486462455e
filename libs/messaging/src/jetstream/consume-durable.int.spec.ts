import { randomUUID } from 'node:crypto';
import { eventStoreMigrations, jsonEvent, PostgresEventStore, type RecordedEvent } from '@haidang/event-store';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createTestDatabase, createTestJetStream, waitFor, type TestDatabase, type TestJetStream } from '@haidang/testing';
import type { DeliveryInfo, DurableConsumer } from '../bus/event-bus';
import { PostgresDeadLetters } from '../dead-letters';
import { silentLogger } from '../logger';
import { messagingMigrations } from '../migrations';
import { EventRelay } from '../relay/event-relay';
import { consumeDurable } from './consume-durable';
import { JetStreamEventBus } from './jetstream-event-bus';

jest.setTimeout(30_000);

describe('consumeDurable with dead letters in PostgreSQL', () => {
  let database: TestDatabase;
  let jetStream: TestJetStream;
  let store: PostgresEventStore;
  let bus: JetStreamEventBus;
  let relay: EventRelay;
  let nc: NatsConnection;
  let consumer: DurableConsumer | undefined;

  beforeEach(async () => {
    database = await createTestDatabase({ migrations: [...eventStoreMigrations, ...messagingMigrations] });
    jetStream = await createTestJetStream();
    store = new PostgresEventStore({ pool: database.pool });
    bus = new JetStreamEventBus({ servers: jetStream.url, stream: jetStream.streamName });
    relay = new EventRelay({
      service: 'referrals',
      store,
      pool: database.pool,
      bus,
      subjectPrefix: jetStream.subjectPrefix,
      pollIntervalMs: 50,
      logger: silentLogger,
    });
    relay.start();
    nc = await connect({ servers: jetStream.url });
  });

  afterEach(async () => {
    await consumer?.stop();
    await relay.stop();
    await bus.close();
    await nc.close();
    await store.close();
    await jetStream.cleanup();
    await database.drop();
  });

  it('retries a failing event with back-off, dead-letters it after maxDeliver, and processes the rest', async () => {
    const referral = `Referral-${randomUUID()}`;
    const meta = { actor: 'officer-1', agency: '22-COMMUNE-06793', correlationId: 'corr-77' };
    await store.appendToStream(referral, [
      jsonEvent({ type: 'ReferralCreated', data: { service: 'vocational-training' }, metadata: meta }),
      jsonEvent({ type: 'ReferralAccepted', data: { poison: true }, metadata: meta }),
      jsonEvent({ type: 'ReferralNoteAdded', data: { note: 'ok' }, metadata: meta }),
    ]);
    await store.appendToStream(`Referral-${randomUUID()}`, jsonEvent({ type: 'ReferralCreated', data: {}, metadata: meta }));

    const handled: RecordedEvent[] = [];
    const deliveries: DeliveryInfo[] = [];
    const deadLetters = new PostgresDeadLetters(database.pool);
    consumer = await consumeDurable({
      js: jetstream(nc),
      stream: jetStream.streamName,
      durable: 'referral-board',
      filterSubjects: [`${jetStream.subjectPrefix}.referrals.Referral.>`],
      maxDeliver: 3,
      backoffMs: [100, 200],
      deadLetters,
      logger: silentLogger,
      handler: (event, delivery) => {
        deliveries.push(delivery);
        if (event.data.poison === true) throw new Error('referral board rejects this');
        handled.push(event);
      },
    });

    await waitFor(async () => handled.length === 3 && (await deadLetters.list('referral-board')).length === 1, { timeoutMs: 15_000 });
    expect(handled.map((e) => e.type)).toEqual(['ReferralCreated', 'ReferralNoteAdded', 'ReferralCreated']);
    expect(deliveries.filter((d) => d.subject.endsWith('.ReferralAccepted')).map((d) => d.deliveryCount)).toEqual([1, 2, 3]);

    const [letter] = await deadLetters.list('referral-board');
    expect(letter).toMatchObject({
      consumer: 'referral-board',
      stream: jetStream.streamName,
      streamSequence: 2,
      subject: `${jetStream.subjectPrefix}.referrals.Referral.ReferralAccepted`,
      attempts: 3,
      error: 'Error: referral board rejects this',
    });
    expect(letter?.headers['X-Correlation-Id']).toBe('corr-77');
    expect(letter?.msgId).toBe(letter?.headers['Nats-Msg-Id']);
    expect(JSON.parse(new TextDecoder().decode(letter?.payload)).type).toBe('ReferralAccepted');

    // Terminated, not left pending: nothing is redelivered and the consumer is not stuck.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(deliveries).toHaveLength(6);
    const info = await (await jetstream(nc).consumers.get(jetStream.streamName, 'referral-board')).info();
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });
});
