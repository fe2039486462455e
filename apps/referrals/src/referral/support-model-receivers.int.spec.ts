/**
 * Receivers of SUPPORT_MODEL referrals come from the campaigns service's register (issue 13 §5):
 * cases, campaigns and referrals on one in-process event bus and broker, each on its own real
 * PostgreSQL database. A model founded in campaigns reaches referrals' register through
 * `campaigns.SupportModelFounded.v1` and may receive a referral (201); once deactivated it is refused
 * (422 support-model-inactive), reactivated it receives again; a model campaigns never founded is
 * refused (422 unknown-support-model), for a new referral and for a redirect; a refusal appends nothing.
 */
import { join } from 'node:path';
import { signDevToken } from '@haidang/auth';
import { InProcessEventBus, InProcessRpcBroker } from '@haidang/messaging';
import { DESCRIPTOR_FILE, PLATFORM_MIGRATIONS, startService, type RunningService, type ServiceDefinition } from '@haidang/service-kit';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { referralsService } from '../referrals-service';

jest.setTimeout(120_000);

type Body = Record<string, unknown>;

/** Another service's descriptor, found at run time as `npm start` finds it (apps are not libraries to import). */
const descriptorOf = (name: string): ServiceDefinition =>
  (require(join(__dirname, '..', '..', '..', name, DESCRIPTOR_FILE)) as { service: ServiceDefinition }).service;
const migrationsOf = (service: ServiceDefinition) => [...PLATFORM_MIGRATIONS, ...(service.migrations ?? [])];

const COMMUNE = '22-COMMUNE-06793';
const CLUB = '22-SUPPORT_MODEL-3';
const TEAM = '22-SUPPORT_MODEL-11';
const NEVER_FOUNDED = '22-SUPPORT_MODEL-77';
const MODEL = { ownerType: 'COMMUNE', ownerAgency: COMMUNE, communeCode: '06793', foundedOn: '2019-03-15' };

async function call(baseUrl: string, method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get('etag') ?? '', body: (text ? JSON.parse(text) : {}) as Body };
}

describe('receivers of SUPPORT_MODEL referrals come from the campaigns register', () => {
  const databases: TestDatabase[] = [];
  let bus: InProcessEventBus;
  let cases: RunningService;
  let campaigns: RunningService;
  let referrals: RunningService;
  let referralsDb: TestDatabase;
  let commune: string;
  let personId: string;

  const standing = async (code: string) =>
    (await referralsDb.pool.query<{ active: boolean }>('SELECT active FROM referrals_support_models WHERE model_code = $1', [code])).rows[0]?.active;
  const referralEvents = async () =>
    Number((await referralsDb.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name LIKE 'Referral-%'`)).rows[0]?.n);
  const counselling = (toAgency: string): Body => ({
    personId,
    toAgency,
    serviceType: 'COUNSELLING',
    reason: 'Cần tư vấn đồng đẳng.',
    // The consent does not cover treatment data: a non-state receiver sees the coded reason only (issue 10 §10).
    reasonCode: 'PEER_SUPPORT',
    urgency: 'HIGH',
    consent: { given: true, recordedOn: '2026-11-20', scope: { services: ['COUNSELLING'], treatmentData: false } },
  });
  const refer = (body: Body) => call(referrals.url, 'POST', '/api/v1/referrals', commune, body);
  const modelChange = async (code: string, step: 'deactivation' | 'reactivation', version: number, body: Body) => {
    const id = (await call(campaigns.url, 'GET', `/api/v1/support-models/${code}`, commune)).body.id as string;
    const changed = await call(campaigns.url, 'POST', `/api/v1/support-models/${id}/${step}`, commune, body, { 'if-match': `"${version}"` });
    expect(changed.status).toBe(200);
  };

  beforeAll(async () => {
    const [casesService, campaignsService] = [descriptorOf('cases'), descriptorOf('campaigns')];
    const [casesDb, campaignsDb, ownDb] = await Promise.all([
      createTestDatabase({ migrations: migrationsOf(casesService) }),
      createTestDatabase({ migrations: migrationsOf(campaignsService) }),
      createTestDatabase({ migrations: migrationsOf(referralsService) }),
    ]);
    databases.push(casesDb, campaignsDb, ownDb);
    referralsDb = ownDb;
    bus = new InProcessEventBus();
    const broker = new InProcessRpcBroker();
    const common = { port: 0, logLevel: 'silent', natsUrl: '', rpcBroker: broker, bus } as const;
    cases = await startService(casesService, { databaseUrl: casesDb.url, ...common });
    campaigns = await startService(campaignsService, { databaseUrl: campaignsDb.url, ...common });
    referrals = await startService(referralsService, { databaseUrl: ownDb.url, ...common });
    commune = await signDevToken({ agency: COMMUNE, roles: ['caseworker'], units: ['06793'] });
    const person = await call(cases.url, 'POST', '/api/v1/persons', commune, {
      fullName: 'Nguyễn Văn An',
      personalId: `0220900${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`,
      dateOfBirth: '1990-05-17',
      sex: 'MALE',
      residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 3, khu 5' },
    });
    expect(person.status).toBe(201);
    personId = person.body.id as string;
  });
  afterAll(async () => {
    await referrals?.stop();
    await campaigns?.stop();
    await cases?.stop();
    await bus?.close();
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('refuses a support model campaigns never founded (422 unknown-support-model), appending nothing', async () => {
    const before = await referralEvents();
    const unknown = await refer(counselling(NEVER_FOUNDED));
    expect([unknown.status, unknown.body.type]).toEqual([422, 'urn:haidang:problem:unknown-support-model']);
    expect(await referralEvents()).toBe(before);
  });

  it('sends to a model once campaigns founded it (201), refuses it deactivated (422 support-model-inactive), sends again once reactivated', async () => {
    const founded = await call(campaigns.url, 'POST', '/api/v1/support-models', commune, {
      ...MODEL,
      modelCode: CLUB,
      name: 'CLB hỗ trợ người sau cai nghiện phường Cẩm Phả',
      kind: 'AFTER_CARE_CLUB',
    });
    expect(founded.status).toBe(201);
    await waitFor(async () => (await standing(CLUB)) === true, { timeoutMs: 20_000, description: 'the club in referrals’ register' });
    expect((await refer(counselling(CLUB))).status).toBe(201);

    await modelChange(CLUB, 'deactivation', 0, { deactivatedOn: '2026-09-01', reason: 'NO_FUNDING' });
    await waitFor(async () => (await standing(CLUB)) === false, { timeoutMs: 20_000, description: 'the club inactive in referrals’ register' });
    const before = await referralEvents();
    const inactive = await refer(counselling(CLUB));
    expect([inactive.status, inactive.body.type]).toEqual([422, 'urn:haidang:problem:support-model-inactive']);
    expect(inactive.body.detail).toContain(CLUB);
    expect(await referralEvents()).toBe(before);

    await modelChange(CLUB, 'reactivation', 1, { reactivatedOn: '2026-10-01' });
    await waitFor(async () => (await standing(CLUB)) === true, { timeoutMs: 20_000, description: 'the club active again in referrals’ register' });
    expect((await refer(counselling(CLUB))).status).toBe(201);
  });

  it('checks the new receiver of a redirect too: to an inactive or unknown model 422, to an active one 200', async () => {
    const founded = await call(campaigns.url, 'POST', '/api/v1/support-models', commune, {
      ...MODEL,
      modelCode: TEAM,
      name: 'Đội CTXH tình nguyện phường Cẩm Phả',
      kind: 'VOLUNTEER_TEAM',
    });
    expect(founded.status).toBe(201);
    await modelChange(TEAM, 'deactivation', 0, { deactivatedOn: '2026-09-01', reason: 'NO_MEMBERS' });
    await waitFor(async () => (await standing(TEAM)) === false, { timeoutMs: 20_000, description: 'the team inactive in referrals’ register' });
    await waitFor(async () => (await standing(CLUB)) === true, { timeoutMs: 20_000, description: 'the club in referrals’ register' });

    // The commune sends to the NGO; the NGO passes it on.
    const sent = await refer(counselling('22-NGO-1'));
    expect(sent.status).toBe(201);
    const id = sent.body.id as string;
    const ngo = await signDevToken({ agency: '22-NGO-1', roles: ['caseworker'], units: ['22'] });
    const redirect = (toAgency: string) => call(referrals.url, 'POST', `/api/v1/referrals/${id}/redirect`, ngo, { toAgency }, { 'if-match': '"0"' });
    expect((await redirect(TEAM)).body.type).toBe('urn:haidang:problem:support-model-inactive');
    expect((await redirect(NEVER_FOUNDED)).body.type).toBe('urn:haidang:problem:unknown-support-model');
    const onward = await redirect(CLUB);
    expect(onward.status).toBe(200);
  });
});
