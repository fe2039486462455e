/**
 * Drill (issue 18, point 1): request/reply between services survives a NATS outage longer than the
 * client's default reconnect budget (10 tries × 2 s). cases and referrals talk over a throwaway
 * nats-server that is killed and comes back after 30 s; a referral (which asks cases over NATS
 * with the caller's token) must succeed within a few seconds of NATS returning, without restarting
 * either service.
 */
import { signDevToken } from '@haidang/auth';
import { createTestDatabase, startNatsServer, waitFor, type NatsServerHandle, type TestDatabase } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from '../../apps/cases/src/cases-service';
import { referralsMigrations, startReferralsService, type ReferralsService } from '../../apps/referrals/src/referrals-service';

jest.setTimeout(180_000);

const OUTAGE_MS = 30_000;

async function post(url: string, token: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('distributed mode: a NATS outage longer than 20 s', () => {
  let nats: NatsServerHandle;
  let casesDb: TestDatabase;
  let referralsDb: TestDatabase;
  let cases: CasesService;
  let referrals: ReferralsService;

  beforeAll(async () => {
    nats = await startNatsServer();
    [casesDb, referralsDb] = await Promise.all([createTestDatabase({ migrations: casesMigrations }), createTestDatabase({ migrations: referralsMigrations })]);
    const prefix = `drill${process.pid}.`;
    cases = await startCasesService({ databaseUrl: casesDb.url, port: 0, logLevel: 'silent', natsUrl: nats.url, rpcSubjectPrefix: prefix });
    referrals = await startReferralsService({
      databaseUrl: referralsDb.url,
      port: 0,
      logLevel: 'silent',
      natsUrl: nats.url,
      casesSubjectPrefix: prefix,
      casesTimeoutMs: 2_000,
    });
  });

  afterAll(async () => {
    await referrals?.stop();
    await cases?.stop();
    await nats?.destroy();
    await Promise.all([casesDb?.drop(), referralsDb?.drop()]);
  });

  it('answers request/reply again within seconds of NATS returning, without a restart', async () => {
    const commune = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
    const person = await post(`${cases.url}/api/v1/persons`, commune, {
      fullName: 'Trần Văn Bình',
      dateOfBirth: '1991-02-03',
      sex: 'MALE',
      residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 1, khu 2' },
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
    expect((await refer()).status).toBe(201);

    await nats.kill();
    // While NATS is down the call cannot be answered: 503, nothing recorded.
    expect((await refer()).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await nats.restart();
    const back = Date.now();
    await waitFor(async () => (await refer()).status === 201, {
      timeoutMs: 20_000,
      intervalMs: 500,
      description: 'a referral (cases asked over NATS) after the outage',
    });
    // "Within a few seconds": the clients retry every second or so.
    expect(Date.now() - back).toBeLessThan(15_000);
  });
});
