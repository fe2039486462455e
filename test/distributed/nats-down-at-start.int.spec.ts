/**
 * Drill (issue 18, point 5): a service starts while NATS is down (ADR 0001: NATS being down never
 * fails a command). cases and referrals start against a nats-server that is not running, serve HTTP
 * and append; a call between them answers 503 meanwhile; once NATS is up, the same call succeeds
 * within seconds, with no restart, and the relay publishes what was appended while it was down.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { signDevToken } from '@haidang/auth';
import { JetStreamEventBus } from '@haidang/messaging';
import { createTestDatabase, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from '../../apps/cases/src/cases-service';
import { referralsMigrations, startReferralsService, type ReferralsService } from '../../apps/referrals/src/referrals-service';

jest.setTimeout(120_000);

async function post(url: string, token: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('distributed mode: NATS down when the services start', () => {
  let nats: NatsServerHandle;
  let casesDb: TestDatabase;
  let referralsDb: TestDatabase;
  let bus: JetStreamEventBus;
  let cases: CasesService;
  let referrals: ReferralsService;

  beforeAll(async () => {
    nats = await startNatsServer();
    await nats.stop();
    [casesDb, referralsDb] = await Promise.all([createTestDatabase({ migrations: casesMigrations }), createTestDatabase({ migrations: referralsMigrations })]);
    bus = new JetStreamEventBus({ servers: nats.url, ackTimeoutMs: 2_000 });
    const prefix = `down${process.pid}.`;
    cases = await startCasesService({ databaseUrl: casesDb.url, port: 0, logLevel: 'silent', natsUrl: nats.url, rpcSubjectPrefix: prefix, bus });
    referrals = await startReferralsService({
      databaseUrl: referralsDb.url,
      port: 0,
      logLevel: 'silent',
      natsUrl: nats.url,
      casesSubjectPrefix: prefix,
      casesTimeoutMs: 1_500,
    });
  });

  afterAll(async () => {
    await referrals?.stop();
    await cases?.stop();
    await bus?.close();
    await nats?.destroy();
    await Promise.all([casesDb?.drop(), referralsDb?.drop()]);
  });

  it('starts, takes commands, and joins NATS when it comes', async () => {
    const commune = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
    const person = await post(`${cases.url}/api/v1/persons`, commune, {
      fullName: 'Lê Thị Cúc',
      dateOfBirth: '1993-04-05',
      sex: 'FEMALE',
      residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 4, khu 1' },
    });
    expect(person.status).toBe(201);
    const refer = () =>
      post(`${referrals.url}/api/v1/referrals`, commune, {
        personId: person.body['id'],
        toAgency: '22-EMPLOYMENT_CENTRE',
        serviceType: 'JOB_COUNSELLING',
        reason: 'Muốn tìm việc',
        urgency: 'NORMAL',
      });
    expect((await refer()).status).toBe(503);
    // Ready (it takes commands), and says what it lacks: readiness is "can take commands".
    const ready = await fetch(`${cases.url}/health/ready`);
    expect([ready.status, await ready.json()]).toEqual([
      200,
      expect.objectContaining({ degraded: ['nats'], details: expect.objectContaining({ nats: { status: 'down' }, database: { status: 'up' } }) }),
    ]);
    expect(await (await fetch(`${cases.url}/metrics`)).text()).toContain('haidang_dependency_up{dependency="nats",required="false"} 0');

    await nats.restart();
    const back = Date.now();
    await waitFor(async () => (await refer()).status === 201, { timeoutMs: 20_000, intervalMs: 500, description: 'a referral once NATS is up' });
    await waitFor(async () => !('degraded' in ((await (await fetch(`${cases.url}/health/ready`)).json()) as object)), {
      timeoutMs: 10_000,
      description: 'readiness no longer degraded',
    });
    expect(Date.now() - back).toBeLessThan(15_000);
    // What cases appended while NATS was down reaches the stream.
    await waitFor(
      async () => {
        const nc = await connect({ servers: nats.url, reconnect: false });
        try {
          return (await (await jetstreamManager(nc)).streams.info('EVENTS')).state.messages > 0;
        } catch {
          return false;
        } finally {
          await nc.close();
        }
      },
      { timeoutMs: 15_000, description: 'the relay published the events appended while NATS was down' },
    );
  });
});
