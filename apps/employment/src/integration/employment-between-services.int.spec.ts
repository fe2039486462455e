/**
 * Cases, referrals and employment acting on each other's integration events, as `npm start` runs
 * them: each service on its own database, one in-process event bus and request/reply broker between
 * them (the same ports JetStream and NATS implement).
 * - The employment centre accepts a JOB_COUNSELLING referral → employment opens a record, once.
 * - A counselling session is held → employment reports the referral's outcome → referrals completes
 *   the referral, once, also across a restart of employment and a redelivered message.
 */
import { signDevToken } from '@haidang/auth';
import { InProcessEventBus, InProcessRpcBroker } from '@haidang/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { join } from 'node:path';
import { DESCRIPTOR_FILE, PLATFORM_MIGRATIONS, startService, type RunningService, type ServiceDefinition } from '@haidang/service-kit';
import { employmentRecordIdOfReferral } from '../employment-record/open-employment-record/open-employment-record.handler';
import { employmentMigrations, startEmploymentService, type EmploymentService } from '../employment-service';

jest.setTimeout(120_000);

/** Another service's descriptor, found at run time as `npm start` finds it (apps are not libraries to import). */
function descriptorOf(name: string): ServiceDefinition {
  const loaded = require(join(__dirname, '..', '..', '..', name, DESCRIPTOR_FILE)) as { service: ServiceDefinition };
  return loaded.service;
}
const migrationsOf = (service: ServiceDefinition) => [...PLATFORM_MIGRATIONS, ...(service.migrations ?? [])];

type Body = Record<string, unknown>;
interface Reply {
  readonly status: number;
  readonly body: Body;
}

async function call(url: string, method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Body };
}

describe('referrals ⇄ employment through integration events (in-process bus)', () => {
  let casesDb: TestDatabase;
  let referralsDb: TestDatabase;
  let employmentDb: TestDatabase;
  let bus: InProcessEventBus;
  let broker: InProcessRpcBroker;
  let cases: RunningService;
  let referrals: RunningService;
  let employment: EmploymentService;
  let commune: string;
  let centre: string;

  const startEmployment = () => startEmploymentService({ databaseUrl: employmentDb.url, port: 0, logLevel: 'silent', natsUrl: '', rpcBroker: broker, bus });
  const recordEvents = async (recordId: string) =>
    (
      await employmentDb.pool.query<{ type: string }>(`SELECT event_type AS type FROM es_events WHERE stream_name = $1 ORDER BY stream_revision`, [
        `EmploymentRecord-${recordId}`,
      ])
    ).rows.map((r) => r.type);
  const referralHistory = async (referralId: string) =>
    ((await call(referrals.url, 'GET', `/api/v1/referrals/${referralId}/history`, commune)).body.items as { type: string }[]).map((i) => i.type);

  beforeAll(async () => {
    const [casesService, referralsService] = [descriptorOf('cases'), descriptorOf('referrals')];
    [casesDb, referralsDb, employmentDb] = await Promise.all([
      createTestDatabase({ migrations: migrationsOf(casesService) }),
      createTestDatabase({ migrations: migrationsOf(referralsService) }),
      createTestDatabase({ migrations: employmentMigrations }),
    ]);
    bus = new InProcessEventBus();
    broker = new InProcessRpcBroker();
    cases = await startService(casesService, { databaseUrl: casesDb.url, port: 0, logLevel: 'silent', natsUrl: '', rpcBroker: broker, bus });
    referrals = await startService(referralsService, { databaseUrl: referralsDb.url, port: 0, logLevel: 'silent', natsUrl: '', rpcBroker: broker, bus });
    employment = await startEmployment();
    [commune, centre] = await Promise.all([
      signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] }),
      signDevToken({ agency: '22-EMPLOYMENT_CENTRE', roles: ['caseworker'], units: ['22'] }),
    ]);
  });
  afterAll(async () => {
    await employment?.stop();
    await referrals?.stop();
    await cases?.stop();
    await bus?.close();
    await Promise.all([casesDb?.drop(), referralsDb?.drop(), employmentDb?.drop()]);
  });

  it('opens a record from the accepted referral and completes the referral after the first session — each once, across a restart', async () => {
    const person = await call(cases.url, 'POST', '/api/v1/persons', commune, {
      fullName: 'Phạm Văn Long',
      dateOfBirth: '1990-05-05',
      sex: 'MALE',
      residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 3, khu 5' },
    });
    expect(person.status).toBe(201);
    const personId = person.body.id as string;
    const created = await call(referrals.url, 'POST', '/api/v1/referrals', commune, {
      personId,
      toAgency: '22-EMPLOYMENT_CENTRE',
      serviceType: 'JOB_COUNSELLING',
      reason: 'Muốn được tư vấn việc làm.',
      urgency: 'NORMAL',
    });
    expect(created.status).toBe(201);
    const referralId = created.body.id as string;
    const accept = () =>
      call(referrals.url, 'POST', `/api/v1/referrals/${referralId}/accept`, centre, {}, { 'if-match': '"0"', 'idempotency-key': 'accept-jc-1' });
    expect((await accept()).status).toBe(200);

    const recordId = employmentRecordIdOfReferral(referralId);
    const record = await waitFor(
      async () => {
        const got = await call(employment.url, 'GET', `/api/v1/employment-records/${recordId}`, centre);
        return got.status === 200 ? got.body : undefined;
      },
      { timeoutMs: 15_000, description: 'the record opened in employment' },
    );
    expect(record).toMatchObject({
      personId,
      communeCode: null,
      provinceCode: '22',
      need: 'WANTS_WORK',
      referral: { referralId, serviceType: 'JOB_COUNSELLING', outcome: null },
    });
    // The commune does not see it until the centre records where the person lives.
    expect((await call(employment.url, 'GET', `/api/v1/employment-records/${recordId}`, commune)).status).toBe(403);
    expect(
      (await call(employment.url, 'POST', `/api/v1/employment-records/${recordId}/residence`, centre, { communeCode: '06793' }, { 'if-match': '"0"' })).status,
    ).toBe(200);
    expect((await call(employment.url, 'GET', `/api/v1/employment-records/${recordId}`, commune)).status).toBe(200);

    // A retried accept adds nothing anywhere; a restart of employment opens nothing twice.
    expect((await accept()).status).toBe(200);
    await employment.stop();
    employment = await startEmployment();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await recordEvents(recordId)).toEqual(['EmploymentRecordOpened', 'ResidenceRecorded']);

    const session = await call(
      employment.url,
      'POST',
      `/api/v1/employment-records/${recordId}/counselling-sessions`,
      centre,
      { heldOn: record.openedOn as string, counsellor: 'Nguyễn Thị Hoa', outcome: 'PLAN_AGREED', nextStep: 'JOB_INTRODUCTION' },
      { 'if-match': '"1"' },
    );
    expect(session.status).toBe(200);
    await waitFor(async () => (await referralHistory(referralId)).includes('ReferralCompleted'), { timeoutMs: 15_000, description: 'the referral completed' });
    const read = await call(referrals.url, 'GET', `/api/v1/referrals/${referralId}`, commune);
    expect(read.body).toMatchObject({ status: 'COMPLETED', outcome: 'SERVICE_PROVIDED' });

    // Another session and a restart report nothing more: the referral is completed exactly once.
    expect(
      (
        await call(
          employment.url,
          'POST',
          `/api/v1/employment-records/${recordId}/counselling-sessions`,
          centre,
          { heldOn: record.openedOn as string, counsellor: 'Nguyễn Thị Hoa', outcome: 'INFORMED', nextStep: 'NONE' },
          { 'if-match': '"3"' },
        )
      ).status,
    ).toBe(200);
    await employment.stop();
    employment = await startEmployment();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await recordEvents(recordId)).toEqual([
      'EmploymentRecordOpened',
      'ResidenceRecorded',
      'CounsellingSessionHeld',
      'ReferralOutcomeReported',
      'CounsellingSessionHeld',
    ]);
    expect((await referralHistory(referralId)).filter((type) => type === 'ReferralCompleted')).toHaveLength(1);
  });
});
