/**
 * Drill (issue 18, point 2): a lost durable or stream is made again without a restart and counted in
 * `/metrics` (`haidang_jetstream_recreated_total`); readiness stays true through that (a reopen takes
 * a second), but fails while NATS answers and a durable consumer cannot get a session — here another
 * stream has taken the event subjects, so the event stream cannot be made again — and comes back when
 * the fault is removed. NATS itself being down never fails readiness (covered by nats-down-at-start).
 */
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventBus } from '@haidang/messaging';
import { createTestDatabase, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@haidang/testing';
import { referralsMigrations, startReferralsService, type ReferralsService } from '../../apps/referrals/src/referrals-service';

jest.setTimeout(150_000);

interface ReadinessAnswer {
  /** 200: per dependency `{ status }`. */
  readonly details?: Record<string, { status: string }>;
  /** 503 (problem+json): per dependency `up` / `down`. */
  readonly checks?: Record<string, string>;
}

async function readiness(url: string): Promise<{ status: number; body: ReadinessAnswer }> {
  const response = await fetch(`${url}/health/ready`);
  return { status: response.status, body: (await response.json()) as ReadinessAnswer };
}

async function recreated(url: string, resource: 'stream' | 'consumer'): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const line = metrics.split('\n').find((l) => l.startsWith(`haidang_jetstream_recreated_total{resource="${resource}"}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

describe('distributed mode: JetStream resources lost under a running service', () => {
  let nats: NatsServerHandle;
  let db: TestDatabase;
  let bus: JetStreamEventBus;
  let referrals: ReferralsService;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nats = await startNatsServer();
    db = await createTestDatabase({ migrations: referralsMigrations });
    bus = new JetStreamEventBus({ servers: nats.url, ackTimeoutMs: 2_000 });
    referrals = await startReferralsService({ databaseUrl: db.url, port: 0, logLevel: 'silent', natsUrl: nats.url, bus, casesTimeoutMs: 1_000 });
    nc = await connect({ servers: nats.url });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await nc?.close();
    await referrals?.stop();
    await bus?.close();
    await nats?.destroy();
    await db?.drop();
  });

  it('recreates a deleted durable and a deleted stream, counts both, and stays ready', async () => {
    await waitFor(async () => bus.consumerHealth().length > 0 && bus.consumerHealth().every((c) => c.live), {
      timeoutMs: 20_000,
      description: 'every durable consumer has a session',
    });
    const durable = (bus.consumerHealth()[0] as { durable: string }).durable;
    expect(await recreated(referrals.url, 'consumer')).toBe(0);

    await jsm.consumers.delete('EVENTS', durable);
    await waitFor(async () => (await recreated(referrals.url, 'consumer')) >= 1, { timeoutMs: 20_000, description: 'the durable made again' });
    await waitFor(
      async () =>
        (await jsm.consumers.info('EVENTS', durable).then(
          () => true,
          () => false,
        )) && bus.consumerHealth().every((c) => c.live),
      {
        timeoutMs: 20_000,
        description: 'its session reopened',
      },
    );

    await jsm.streams.delete('EVENTS');
    await waitFor(async () => (await recreated(referrals.url, 'stream')) >= 1, { timeoutMs: 20_000, description: 'the stream made again' });
    await waitFor(async () => bus.consumerHealth().every((c) => c.live), { timeoutMs: 20_000, description: 'every consumer live again' });
    const ready = await readiness(referrals.url);
    expect(ready.status).toBe(200);
    expect(ready.body.details?.['messaging']).toEqual({ status: 'up' });
  });

  it('fails readiness while NATS answers but a consumer cannot get a session, and recovers without a restart', async () => {
    // Another stream takes the subjects: the event stream cannot be made again while it exists.
    await jsm.streams.delete('EVENTS');
    await jsm.streams.add({ name: 'SQUATTER', subjects: ['evt.>', 'int.>'] });
    await waitFor(async () => bus.consumerHealth().some((c) => !c.live), { timeoutMs: 20_000, description: 'a consumer without a session' });
    // The grace period (15 s) passes, then readiness names the fault.
    await waitFor(async () => (await readiness(referrals.url)).status === 503, { timeoutMs: 40_000, intervalMs: 1_000, description: 'readiness fails' });
    const failing = await readiness(referrals.url);
    expect(failing.body.checks).toEqual(expect.objectContaining({ messaging: 'down', nats: 'up', database: 'up' }));

    await jsm.streams.delete('SQUATTER');
    await waitFor(async () => (await readiness(referrals.url)).status === 200, { timeoutMs: 30_000, intervalMs: 1_000, description: 'ready again' });
    expect(bus.consumerHealth().every((c) => c.live)).toBe(true);
  });
});
