/**
 * Coded reasons for non-state receivers (issue 10 §10), over HTTP on real PostgreSQL, with the cases
 * service in the same process (in-process request/reply) answering for the person. The sender writes
 * a diagnosis in the free text; a SUPPORT_MODEL receiver whose consent does not cover treatment
 * data sees the code and its labels on every read route it can use, never the text; a state
 * receiver reads the text; a referral to such a receiver without a code, or with another service's
 * code, is refused and appends nothing; the sender's 201 says what the receiver will see; a redirect
 * to such a receiver needs the code too. The club is put into referrals' register of support models
 * as campaigns' events put it there (that path has its own spec, support-model-receivers.int.spec.ts).
 */
import { join } from 'node:path';
import { signDevToken } from '@haidang/auth';
import { InProcessEventBus, InProcessRpcBroker } from '@haidang/messaging';
import { DESCRIPTOR_FILE, PLATFORM_MIGRATIONS, startService, type RunningService, type ServiceDefinition } from '@haidang/service-kit';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { referralsService } from '../referrals-service';

jest.setTimeout(120_000);

type Body = Record<string, unknown>;

/** The cases service's descriptor, found at run time as `npm start` finds it (apps are not libraries to import). */
const casesDescriptor = (): ServiceDefinition =>
  (require(join(__dirname, '..', '..', '..', 'cases', DESCRIPTOR_FILE)) as { service: ServiceDefinition }).service;
const migrationsOf = (service: ServiceDefinition) => [...PLATFORM_MIGRATIONS, ...(service.migrations ?? [])];

const COMMUNE = '22-COMMUNE-06793';
const CLUB = '22-SUPPORT_MODEL-3';
const HEALTH_DEPT = '22-HEALTH';
const CENTRE = '22-EMPLOYMENT_CENTRE';
/** What senders write in the free text, and a non-state receiver without a ground for treatment data must never read. */
const DIAGNOSIS = 'Nghiện heroin, HIV dương tính; cần hỗ trợ đồng đẳng.';
const CONSENT_WITHOUT_TREATMENT = { given: true, recordedOn: '2026-11-20', scope: { services: ['COUNSELLING'], treatmentData: false } };

async function call(baseUrl: string, method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, body: (text ? JSON.parse(text) : {}) as Body };
}

describe('coded reasons for non-state receivers (issue 10 §10)', () => {
  let casesDb: TestDatabase;
  let referralsDb: TestDatabase;
  let bus: InProcessEventBus;
  let cases: RunningService;
  let referrals: RunningService;
  const tokens: Record<string, string> = {};
  let personId: string;

  const referralEvents = async () =>
    Number((await referralsDb.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name LIKE 'Referral-%'`)).rows[0]?.n);
  const refer = (body: Body) => call(referrals.url, 'POST', '/api/v1/referrals', tokens[COMMUNE] as string, { personId, urgency: 'NORMAL', ...body });
  const counsellingToClub = (extra: Body = {}): Body => ({
    toAgency: CLUB,
    serviceType: 'COUNSELLING',
    reason: DIAGNOSIS,
    consent: CONSENT_WITHOUT_TREATMENT,
    ...extra,
  });
  /** Every read route an agency can use, as raw text: the single read, the history, both lists, the escalations. */
  const everyRead = async (id: string, as: string): Promise<{ route: string; status: number; text: string }[]> => {
    const token = tokens[as] as string;
    const supervisor = await signDevToken({ agency: as, roles: ['supervisor'], units: ['22'] });
    const routes: [string, string, string][] = [
      ['read', `/api/v1/referrals/${id}`, token],
      ['history', `/api/v1/referrals/${id}/history`, token],
      ['incoming', '/api/v1/referrals?direction=incoming', token],
      ['outgoing', '/api/v1/referrals?direction=outgoing', token],
      ['escalations', '/api/v1/referral-escalations', supervisor],
    ];
    return Promise.all(
      routes.map(async ([route, path, bearer]) => {
        const reply = await call(referrals.url, 'GET', path, bearer);
        return { route, status: reply.status, text: reply.text };
      }),
    );
  };
  /** The receiver's inbox item, once the read model caught up with the referral at `version`. */
  const inboxItem = (as: string, id: string, version = 0) =>
    waitFor(
      async () =>
        ((await call(referrals.url, 'GET', '/api/v1/referrals?direction=incoming', tokens[as] as string)).body.items as Body[] | undefined)?.find(
          (item) => item.id === id && item.version === version,
        ),
      { timeoutMs: 30_000, description: `referral ${id} v${version} in the inbox of ${as}` },
    );

  beforeAll(async () => {
    const casesService = casesDescriptor();
    [casesDb, referralsDb] = await Promise.all([
      createTestDatabase({ migrations: migrationsOf(casesService) }),
      createTestDatabase({ migrations: migrationsOf(referralsService) }),
    ]);
    bus = new InProcessEventBus();
    const common = { port: 0, logLevel: 'silent', natsUrl: '', rpcBroker: new InProcessRpcBroker(), bus } as const;
    cases = await startService(casesService, { databaseUrl: casesDb.url, ...common });
    referrals = await startService(referralsService, { databaseUrl: referralsDb.url, ...common });
    // The club, active, in the register campaigns' SupportModel events fill.
    await referralsDb.pool.query(
      `INSERT INTO referrals_support_models (model_code, model_id, kind, commune_code, founded_on, active, as_of)
       VALUES ($1, gen_random_uuid(), 'AFTER_CARE_CLUB', '06793', '2019-03-15', true, '2026-01-01')`,
      [CLUB],
    );
    for (const agency of [CLUB, HEALTH_DEPT, CENTRE]) tokens[agency] = await signDevToken({ agency, roles: ['caseworker'], units: ['22'] });
    tokens[COMMUNE] = await signDevToken({ agency: COMMUNE, roles: ['caseworker'], units: ['06793'] });
    const person = await call(cases.url, 'POST', '/api/v1/persons', tokens[COMMUNE] as string, {
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
    await cases?.stop();
    await bus?.close();
    await Promise.all([casesDb?.drop(), referralsDb?.drop()]);
  });

  it('refuses a referral to the club without a code (422, listing the codes), or with another service’s code (422) or none of any (400), appending nothing', async () => {
    const before = await referralEvents();
    const missing = await refer(counsellingToClub());
    expect([missing.status, missing.body.type]).toEqual([422, 'urn:haidang:problem:reason-code-required']);
    expect(missing.body.detail).toContain('PEER_SUPPORT');
    const otherService = await refer(counsellingToClub({ reasonCode: 'NO_SAFE_HOME' }));
    expect([otherService.status, otherService.body.type]).toEqual([422, 'urn:haidang:problem:reason-code-not-for-service']);
    const unknown = await refer(counsellingToClub({ reasonCode: 'ADDICTED' }));
    expect(unknown.status).toBe(400);
    expect((unknown.body.errors as Body[]).map((e) => e.field)).toEqual(['reasonCode']);
    expect(await referralEvents()).toBe(before);
  });

  it('tells the sender the club sees the code only, and shows the club the code and labels on every read route, never the text', async () => {
    const created = await refer(counsellingToClub({ reasonCode: 'PEER_SUPPORT' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 0, receiverSees: 'reason-code-only' });
    expect(created.body.warning).toEqual(expect.stringContaining(`${CLUB} is a non-state agency`));
    expect(created.body.warning).toEqual(expect.stringContaining('PEER_SUPPORT (Cần hỗ trợ đồng đẳng / Asks for peer support)'));
    const id = created.body.id as string;

    const asClub = await call(referrals.url, 'GET', `/api/v1/referrals/${id}`, tokens[CLUB] as string);
    expect(asClub.status).toBe(200);
    expect(asClub.body).toMatchObject({
      yourRole: 'receiver',
      reason: null,
      reasonCode: 'PEER_SUPPORT',
      reasonLabel: { vi: 'Cần hỗ trợ đồng đẳng', en: 'Asks for peer support' },
    });
    expect(await inboxItem(CLUB, id)).toMatchObject({ reasonCode: 'PEER_SUPPORT', reasonLabel: { en: 'Asks for peer support' } });
    const reads = await everyRead(id, CLUB);
    expect(reads.map((r) => [r.route, r.status])).toEqual([
      ['read', 200],
      ['history', 200],
      ['incoming', 200],
      ['outgoing', 200],
      ['escalations', 200],
    ]);
    for (const { route, text } of reads) {
      expect([route, text.includes(DIAGNOSIS)]).toEqual([route, false]);
      expect([route, /heroin|HIV/i.test(text)]).toEqual([route, false]);
    }

    // The sender sees both.
    const asCommune = await call(referrals.url, 'GET', `/api/v1/referrals/${id}`, tokens[COMMUNE] as string);
    expect(asCommune.body).toMatchObject({ reason: DIAGNOSIS, reasonCode: 'PEER_SUPPORT', reasonLabel: { vi: 'Cần hỗ trợ đồng đẳng' } });
  });

  it('lets a state receiver read the text (no code needed), and tells the sender so', async () => {
    const created = await refer({ toAgency: CENTRE, serviceType: 'JOB_PLACEMENT', reason: 'Muốn tìm việc làm gần nhà.' });
    expect([created.status, created.body.receiverSees]).toEqual([201, 'reason-text']);
    expect(created.body).not.toHaveProperty('warning');
    const asCentre = await call(referrals.url, 'GET', `/api/v1/referrals/${created.body.id as string}`, tokens[CENTRE] as string);
    expect(asCentre.body).toMatchObject({ reason: 'Muốn tìm việc làm gần nhà.', reasonCode: null, reasonLabel: null });
  });

  it('needs the code to redirect to the club when the sender gave none, and the club then sees it, not the text', async () => {
    const created = await refer({ toAgency: HEALTH_DEPT, serviceType: 'COUNSELLING', reason: DIAGNOSIS, consent: CONSENT_WITHOUT_TREATMENT });
    expect([created.status, created.body.receiverSees]).toEqual([201, 'reason-text']);
    const id = created.body.id as string;
    expect((await call(referrals.url, 'GET', `/api/v1/referrals/${id}`, tokens[HEALTH_DEPT] as string)).body.reason).toBe(DIAGNOSIS);
    const redirect = (body: Body) =>
      call(referrals.url, 'POST', `/api/v1/referrals/${id}/redirect`, tokens[HEALTH_DEPT] as string, body, { 'if-match': '"0"' });

    const before = await referralEvents();
    const missing = await redirect({ toAgency: CLUB });
    expect([missing.status, missing.body.type]).toEqual([422, 'urn:haidang:problem:reason-code-required']);
    expect(await referralEvents()).toBe(before);
    const redirected = await redirect({ toAgency: CLUB, reasonCode: 'SETTLING_IN_COMMUNITY' });
    expect([redirected.status, redirected.body.version]).toEqual([200, 1]);

    const asClub = await call(referrals.url, 'GET', `/api/v1/referrals/${id}`, tokens[CLUB] as string);
    expect(asClub.body).toMatchObject({ status: 'REDIRECTED', reason: null, reasonCode: 'SETTLING_IN_COMMUNITY' });
    expect(await inboxItem(CLUB, id, 1)).toMatchObject({ reasonCode: 'SETTLING_IN_COMMUNITY' });
    for (const { route, text } of await everyRead(id, CLUB)) expect([route, text.includes(DIAGNOSIS)]).toEqual([route, false]);
  });

  it('documents the answer to the sender in the OpenAPI document, with an example', async () => {
    const document = (await call(referrals.url, 'GET', '/api/openapi.json', '')).body as {
      components: { schemas: Record<string, { properties: Record<string, { example?: unknown; enum?: unknown }> }> };
    };
    const answer = document.components.schemas['CreateReferralResponseDto'];
    expect(answer?.properties['receiverSees']).toMatchObject({ enum: ['reason-text', 'reason-code-only'], example: 'reason-code-only' });
    expect(answer?.properties['warning']?.example).toEqual(expect.stringContaining('never your free text'));
    expect(document.components.schemas['CreateReferralRequestDto']?.properties['reasonCode']?.enum).toEqual(expect.arrayContaining(['PEER_SUPPORT']));
  });
});
