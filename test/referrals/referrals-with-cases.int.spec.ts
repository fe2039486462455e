/**
 * The referrals service with a real cases service in the same process (in-process request/reply,
 * as `npm start` runs them; over NATS in the last block), each on its own throwaway PostgreSQL
 * database. Here, not under apps/referrals: one app may not import another (ADR 0005), a
 * workspace test may start both.
 *
 * A commune refers a person after rehab to the employment centre; the centre accepts and
 * completes; along the way what a client meets: cases' answers (404, 403, a case of another person),
 * the consent a non-state receiver needs, If-Match and Idempotency-Key, who sees what, the
 * inbox/outbox lists, the history, and cases going away (503, nothing recorded).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { findUnguardedHandlers, signDevToken } from '@haidang/auth';
import { InProcessRpcBroker } from '@haidang/messaging';
import { activeVersion, projectionEntities, rebuildProjection } from '@haidang/projections';
import { DataSource } from 'typeorm';
import { createTestDatabase, resolveTestNatsUrl, waitFor, type TestDatabase } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from '../../apps/cases/src/cases-service';
import { defineReferralsProjection, referralsProjection } from '../../apps/referrals/src/projections/referrals/referrals.projection';
import { referralsPolicy } from '../../apps/referrals/src/referrals.policy';
import { referralsMigrations, startReferralsService, type ReferralsService } from '../../apps/referrals/src/referrals-service';

jest.setTimeout(120_000);

type Body = Record<string, unknown>;
interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Body;
}

const COMMUNE = '22-COMMUNE-06793';
const CENTRE = '22-EMPLOYMENT_CENTRE';
const REASON = 'Hoàn thành cai nghiện tại cộng đồng; muốn việc làm gần nhà.';

async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Body };
}

const token = (agency: string, units: string[], roles: string[] = ['caseworker']) => signDevToken({ agency, roles: roles as never, units });

/** A person and a voluntary community case in the cases service, registered by the commune. */
async function seedCases(
  casesUrl: string,
  commune: string,
  communeCode = '06793',
  personalId = `0220900${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`,
) {
  const person = await call(casesUrl, 'POST', '/api/v1/persons', {
    token: commune,
    body: {
      fullName: 'Nguyễn Văn An',
      personalId,
      dateOfBirth: '1990-05-17',
      sex: 'MALE',
      residence: { provinceCode: '22', communeCode, address: 'Tổ 3, khu 5' },
    },
  });
  expect(person.status).toBe(201);
  const rehabCase = await call(casesUrl, 'POST', '/api/v1/rehab-cases', {
    token: commune,
    body: {
      personId: person.body.id,
      source: 'SELF_DECLARATION',
      form: 'VOLUNTARY_COMMUNITY',
      legalBasis: { decisionNo: '15/QĐ-UBND', decisionDate: '2026-08-03', issuedBy: 'COMMUNE_CHAIR' },
      termMonths: 6,
    },
  });
  expect(rehabCase.status).toBe(201);
  return { personId: person.body.id as string, caseId: rehabCase.body.id as string };
}

describe('referrals with the cases service (in-process)', () => {
  let casesDb: TestDatabase;
  let referralsDb: TestDatabase;
  let cases: CasesService;
  let casesStopped = false;
  let referrals: ReferralsService;
  let commune: string;
  let centre: string;
  let homeAffairs: string;
  let facility: string;
  let personId: string;
  let caseId: string;

  const api = (method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    call(referrals.url, method, `/api/v1/referrals${path}`, options);
  const step = (id: string, action: string, as: string, version: string | number, body: unknown = {}, key?: string) =>
    api('POST', `/${id}/${action}`, { token: as, body, headers: { 'if-match': `"${version}"`, ...(key ? { 'idempotency-key': key } : {}) } });
  const eventCount = async (): Promise<number> => Number((await referrals.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0]?.n);
  const jobReferral = (extra: Body = {}): Body => ({
    personId,
    caseId,
    toAgency: CENTRE,
    serviceType: 'JOB_PLACEMENT',
    reason: REASON,
    urgency: 'NORMAL',
    ...extra,
  });
  const create = async (body: Body, as = commune, headers: Record<string, string> = {}) => {
    const created = await api('POST', '', { token: as, body, headers });
    expect([created.status, created.body]).toEqual([201, expect.objectContaining({ version: 0 })]);
    return created.body.id as string;
  };
  const list = async (as: string, query: string) => {
    const reply = await api('GET', `?${query}`, { token: as });
    expect(reply.status).toBe(200);
    return reply.body as { total: number; items: Body[] };
  };
  /** The read model lags the log: wait until the list shows the referral at its version. */
  const listed = (as: string, query: string, id: string, version: number) =>
    waitFor(async () => (await list(as, query)).items.find((i) => i.id === id && i.version === version), {
      timeoutMs: 10_000,
      description: `referral ${id} v${version} in ${query}`,
    });

  beforeAll(async () => {
    [casesDb, referralsDb] = await Promise.all([createTestDatabase({ migrations: casesMigrations }), createTestDatabase({ migrations: referralsMigrations })]);
    const broker = new InProcessRpcBroker();
    cases = await startCasesService({ databaseUrl: casesDb.url, port: 0, logLevel: 'silent', natsUrl: '', rpcBroker: broker });
    referrals = await startReferralsService({
      databaseUrl: referralsDb.url,
      port: 0,
      logLevel: 'silent',
      natsUrl: '',
      rpcBroker: broker,
      casesTimeoutMs: 2_000,
    });
    [commune, centre, homeAffairs, facility] = await Promise.all([
      token(COMMUNE, ['06793']),
      token(CENTRE, ['22']),
      token('22-HOME_AFFAIRS', ['22']),
      token('22-REHAB_FACILITY-1', ['22']),
    ]);
    ({ personId, caseId } = await seedCases(cases.url, commune));
  });
  afterAll(async () => {
    await referrals?.stop();
    if (!casesStopped) await cases?.stop();
    await Promise.all([casesDb?.drop(), referralsDb?.drop()]);
  });

  it('walks create → accept → completion, each step with its ETag, and shows who did what', async () => {
    const created = await api('POST', '', { token: commune, body: jobReferral() });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get('etag')).toBe('"0"');
    expect(created.headers.get('location')).toBe(`/api/v1/referrals/${id}`);

    const asSender = await api('GET', `/${id}`, { token: commune });
    expect(asSender.status).toBe(200);
    expect(asSender.headers.get('etag')).toBe('"0"');
    expect(asSender.body).toMatchObject({
      id,
      yourRole: 'sender',
      status: 'SENT',
      personId,
      caseId,
      fromAgency: COMMUNE,
      toAgency: CENTRE,
      chain: [CENTRE],
      reason: REASON,
      serviceType: 'JOB_PLACEMENT',
    });
    const asReceiver = await api('GET', `/${id}`, { token: centre });
    expect(asReceiver.body).toMatchObject({ yourRole: 'receiver', status: 'SENT', reason: REASON, consent: null, overdue: false });
    expect(asReceiver.body.dueOn).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/));
    // Job placement is not health-related: no treatment-data flag for the receiver, no chain.
    expect(asReceiver.body).not.toHaveProperty('sharesTreatmentData');
    expect(asReceiver.body).not.toHaveProperty('chain');

    const accepted = await step(id, 'accept', centre, 0);
    expect([accepted.status, accepted.headers.get('etag')]).toEqual([200, '"1"']);
    const completed = await step(id, 'completion', centre, 1, { outcome: 'SERVICE_PROVIDED', note: 'Làm công nhân may, hợp đồng 3 tháng.' });
    expect([completed.status, completed.body]).toEqual([200, { id, version: 2 }]);
    expect((await api('GET', `/${id}`, { token: commune })).body).toMatchObject({
      status: 'COMPLETED',
      outcome: 'SERVICE_PROVIDED',
      closedOn: expect.any(String),
    });

    const history = await api('GET', `/${id}/history`, { token: commune });
    expect(history.status).toBe(200);
    expect((history.body.items as Body[]).map((i) => [i.version, i.type, i.agency, i.toAgency, i.code])).toEqual([
      [0, 'ReferralSent', COMMUNE, CENTRE, null],
      [1, 'ReferralAccepted', CENTRE, null, null],
      [2, 'ReferralCompleted', CENTRE, null, 'SERVICE_PROVIDED'],
    ]);
    expect((history.body.items as Body[])[0]).toMatchObject({ actor: expect.any(String), recordedAt: expect.any(String) });
    expect(JSON.stringify(history.body)).not.toContain('cai nghiện');
    expect(JSON.stringify(history.body)).not.toContain('công nhân');

    // The free text is encrypted with the person's key in this service's own key table.
    const stored = await referrals.pool.query<{ data: unknown }>(`SELECT data FROM es_events WHERE stream_name = $1`, [`Referral-${id}`]);
    expect(stored.rows).toHaveLength(3);
    expect(JSON.stringify(stored.rows)).not.toContain('cai nghiện');
    expect(JSON.stringify(stored.rows)).not.toContain('công nhân');
    const keys = await referrals.pool.query('SELECT 1 FROM pii_subject_keys WHERE subject_id = $1', [personId]);
    expect(keys.rowCount).toBe(1);
  });

  it('checks the person and the case with cases under the sender’s token: 404, 403, 422, and records nothing', async () => {
    const before = await eventCount();
    const unknown = await api('POST', '', { token: commune, body: jobReferral({ personId: randomUUID(), caseId: undefined }) });
    expect([unknown.status, unknown.body.type]).toEqual([404, 'urn:haidang:problem:person-not-found']);
    expect((await api('POST', '', { token: commune, body: jobReferral({ caseId: randomUUID() }) })).status).toBe(404);
    // Another commune may not see this person in cases, so it may not refer them.
    const neighbour = await token('22-COMMUNE-06778', ['06778']);
    const foreign = await api('POST', '', { token: neighbour, body: jobReferral({ caseId: undefined }) });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    // The case must be the person's.
    const other = await seedCases(cases.url, commune);
    const mismatch = await api('POST', '', { token: commune, body: jobReferral({ personId: other.personId }) });
    expect([mismatch.status, mismatch.body.type]).toEqual([422, 'urn:haidang:problem:case-of-another-person']);
    expect(await eventCount()).toBe(before);
  });

  it('needs consent (or a legal basis) for a non-state receiver: 422 without, 201 with', async () => {
    const counselling = {
      personId,
      toAgency: '22-NGO-1',
      serviceType: 'COUNSELLING',
      reason: 'Cần tư vấn đồng đẳng.',
      reasonCode: 'PEER_SUPPORT',
      urgency: 'HIGH',
    };
    const refused = await api('POST', '', { token: commune, body: counselling });
    expect([refused.status, refused.body.type]).toEqual([422, 'urn:haidang:problem:consent-or-legal-basis-required']);
    expect(refused.body.detail).toMatch(/consent or a legal basis/);
    const club = await api('POST', '', { token: commune, body: { ...counselling, toAgency: '22-SUPPORT_MODEL-3' } });
    expect(club.status).toBe(422);
    const outOfScope = await api('POST', '', {
      token: commune,
      body: { ...counselling, consent: { given: true, recordedOn: '2026-11-20', scope: { services: ['JOB_PLACEMENT'], treatmentData: false } } },
    });
    expect([outOfScope.status, outOfScope.body.type]).toEqual([422, 'urn:haidang:problem:consent-scope-does-not-cover-service']);
    const id = await create({ ...counselling, consent: { given: true, recordedOn: '2026-11-20', scope: { services: ['COUNSELLING'], treatmentData: false } } });
    const asNgo = await api('GET', `/${id}`, { token: await token('22-NGO-1', ['22']) });
    expect(asNgo.body).toMatchObject({ yourRole: 'receiver', consent: { given: true, coversService: true, withdrawn: false } });
    // Of the consent only what concerns its service; counselling is not health-related: nothing about treatment data, no case.
    expect(asNgo.body.consent).not.toHaveProperty('services');
    expect(asNgo.body.consent).not.toHaveProperty('treatmentData');
    expect(asNgo.body).not.toHaveProperty('caseId');
    // The sender records that the person withdrew consent; the receiver sees that, and no longer why.
    const withdrawn = await step(id, 'consent-withdrawal', commune, 0, { withdrawnOn: '2026-11-21' });
    expect(withdrawn.status).toBe(200);
    const lapsed = (await api('GET', `/${id}`, { token: await token('22-NGO-1', ['22']) })).body;
    expect(lapsed).toMatchObject({ yourRole: 'receiver', consent: { withdrawn: true, withdrawnOn: '2026-11-21' } });
    expect(lapsed).not.toHaveProperty('reason');
  });

  it('declines only with a reason code, and OTHER only with a short explanation', async () => {
    const id = await create(jobReferral());
    const noReason = await step(id, 'decline', centre, 0, {});
    expect(noReason.status).toBe(400);
    expect((noReason.body.errors as Body[]).map((e) => e.field)).toEqual(['reason']);
    const other = await step(id, 'decline', centre, 0, { reason: 'OTHER' });
    expect([other.status, other.body.type]).toEqual([422, 'urn:haidang:problem:decline-note-required']);
    // The sender cannot decline its own referral: the domain names the party.
    expect((await step(id, 'decline', commune, 0, { reason: 'NO_CAPACITY' })).status).toBe(403);
    const declined = await step(id, 'decline', centre, 0, { reason: 'OTHER', note: 'Khóa học tháng 12 đã đủ người.' });
    expect([declined.status, declined.body.version]).toEqual([200, 1]);
    expect((await api('GET', `/${id}`, { token: commune })).body).toMatchObject({ status: 'DECLINED', declineReason: 'OTHER' });
  });

  it('refuses a change without If-Match (428) or with a stale one (409), and appends nothing', async () => {
    const id = await create(jobReferral());
    const missing = await api('POST', `/${id}/accept`, { token: centre, body: {} });
    expect([missing.status, missing.body.type]).toEqual([428, 'urn:haidang:problem:precondition-required']);
    expect((await step(id, 'accept', centre, 0)).status).toBe(200);
    const stale = await step(id, 'completion', centre, 0, { outcome: 'SERVICE_PROVIDED' });
    expect([stale.status, stale.body.type]).toEqual([409, 'urn:haidang:problem:version-conflict']);
    expect((await step(id, 'completion', centre, 7, { outcome: 'SERVICE_PROVIDED' })).status).toBe(409);
    const after = await api('GET', `/${id}`, { token: centre });
    expect([after.headers.get('etag'), after.body.status]).toEqual(['"1"', 'ACCEPTED']);
  });

  it('answers a retry under the same Idempotency-Key with the first result and records nothing more', async () => {
    const key = `create-${randomBytes(6).toString('hex')}`;
    const first = await api('POST', '', { token: commune, body: jobReferral(), headers: { 'idempotency-key': key } });
    const again = await api('POST', '', { token: commune, body: jobReferral(), headers: { 'idempotency-key': key } });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    const id = first.body.id as string;
    const before = await eventCount();
    const accepted = await step(id, 'accept', centre, 0, {}, 'accept-once-123');
    const retried = await step(id, 'accept', centre, 0, {}, 'accept-once-123');
    expect([accepted.status, retried.status]).toEqual([200, 200]);
    expect(retried.body).toEqual(accepted.body);
    expect(await eventCount()).toBe(before + 1);
    // The same key for another request is refused, and records nothing.
    const reused = await step(id, 'completion', centre, 1, { outcome: 'SERVICE_PROVIDED' }, 'accept-once-123');
    expect([reused.status, reused.body.type]).toEqual([422, 'urn:haidang:problem:idempotency-key-reused']);
    expect(await eventCount()).toBe(before + 1);
  });

  it('keeps a draft in the sender’s outbox until it is sent, then lists it in the receiver’s inbox', async () => {
    const id = await create(jobReferral({ draft: true, toAgency: undefined }));
    const draft = await listed(commune, 'direction=outgoing&status=DRAFT', id, 0);
    expect(draft).toMatchObject({ status: 'DRAFT', fromAgency: COMMUNE, toAgency: null, dueOn: null, overdue: false });
    expect((await api('GET', `/${id}`, { token: centre })).status).toBe(404);
    expect((await step(id, 'sending', commune, 0, {})).body.type).toBe('urn:haidang:problem:receiver-required');
    // The receiver's agency type may not send at all (policy, 403); another party type is no party to this draft (404).
    expect((await step(id, 'sending', centre, 0, { toAgency: CENTRE })).status).toBe(403);
    expect((await step(id, 'sending', homeAffairs, 0, { toAgency: CENTRE })).status).toBe(404);
    const sent = await step(id, 'sending', commune, 0, { toAgency: CENTRE });
    expect([sent.status, sent.body.version]).toEqual([200, 1]);
    const inbox = await listed(centre, 'direction=incoming', id, 1);
    expect(inbox).toMatchObject({
      status: 'SENT',
      fromAgency: COMMUNE,
      toAgency: CENTRE,
      proposedOn: expect.any(String),
      sentOn: expect.any(String),
      dueOn: expect.any(String),
    });
    expect((await api('GET', `/${id}`, { token: centre })).body).toMatchObject({ reason: REASON, yourRole: 'receiver' });
  });

  it('asks cases about the person before sending a draft: 422 once erased, 403 when out of the caller’s scope, and sends nothing', async () => {
    const registered = await call(cases.url, 'POST', '/api/v1/persons', {
      token: commune,
      body: {
        fullName: 'Phạm Văn Bình',
        dateOfBirth: '1992-02-02',
        sex: 'MALE',
        residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 1, khu 1' },
      },
    });
    expect(registered.status).toBe(201);
    const erasedPerson = registered.body.id as string;
    const draft = await create({ personId: erasedPerson, toAgency: CENTRE, serviceType: 'JOB_PLACEMENT', reason: REASON, urgency: 'NORMAL', draft: true });
    const outOfScope = await create(jobReferral({ draft: true }));
    // Erasure is the provincial police's since DOLISA was dissolved on 2025-03-01 (ADR 0010).
    const dpo = await token('22-POLICE', ['22'], ['data-protection']);
    expect(
      (
        await call(cases.url, 'POST', `/api/v1/persons/${erasedPerson}/erasure`, {
          token: dpo,
          body: { reference: 'DP-2026-031' },
          headers: { 'if-match': '"0"' },
        })
      ).status,
    ).toBe(200);
    const before = await eventCount();
    const erased = await step(draft, 'sending', commune, 0, {});
    expect([erased.status, erased.body.type]).toEqual([422, 'urn:haidang:problem:person-erased']);
    // The same agency, an officer whose units do not cover the person's commune, can no longer exist: since
    // issue 10 §9 a commune agency's token may claim its own commune only (a forged one is answered 401,
    // test/security/token-claims.e2e.spec.ts), so no such token is issued.
    await expect(token(COMMUNE, ['06778'])).rejects.toThrow(/jurisdiction/);
    expect(await eventCount()).toBe(before);
    expect((await api('GET', `/${draft}`, { token: commune })).body).toMatchObject({ status: 'DRAFT' });
    // In scope and not erased: sent.
    expect((await step(outOfScope, 'sending', commune, 0, {})).status).toBe(200);
  });

  it('scopes lists and reads to the parties: the inbox, the outbox, a redirect, and a third agency that sees nothing', async () => {
    const id = await create(jobReferral({ urgency: 'HIGH' }));
    const outbox = await listed(commune, 'direction=outgoing', id, 0);
    expect(Object.keys(outbox).sort()).toEqual(
      [
        'acceptedOn',
        'caseId',
        'closedOn',
        'consentWithdrawn',
        'dueOn',
        'dueOnProvisional',
        'fromAgency',
        'id',
        'overdue',
        'personId',
        'proposedOn',
        // The coded reason (issue 10 §10): a code and its labels, never the free text.
        'reasonCode',
        'reasonLabel',
        'sentOn',
        'serviceType',
        'status',
        'toAgency',
        'urgency',
        'version',
      ].sort(),
    );
    await listed(centre, 'direction=incoming&status=SENT&overdue=false', id, 0);
    expect((await list(centre, 'direction=incoming&overdue=true')).items.map((i) => i.id)).not.toContain(id);
    expect((await list(centre, 'direction=outgoing')).items.map((i) => i.id)).not.toContain(id);
    expect(JSON.stringify(await list(commune, 'direction=outgoing'))).not.toContain('cai nghiện');

    // A third agency: nothing in its lists, 404 on the referral, its history and any step.
    expect((await list(facility, 'direction=incoming')).items.map((i) => i.id)).not.toContain(id);
    expect((await api('GET', `/${id}`, { token: facility })).status).toBe(404);
    expect((await api('GET', `/${id}/history`, { token: facility })).status).toBe(404);
    expect((await step(id, 'accept', facility, 0)).status).toBe(404);

    // Redirected to Home Affairs (labour and employment since 2025-03-01): its inbox, no longer the centre's; the centre still sees where it went, not why.
    const redirected = await step(id, 'redirect', centre, 0, { toAgency: '22-HOME_AFFAIRS', note: 'Sở có chương trình phù hợp hơn.' });
    expect(redirected.status).toBe(200);
    await listed(homeAffairs, 'direction=incoming&status=REDIRECTED', id, 1);
    await waitFor(async () => !(await list(centre, 'direction=incoming')).items.some((i) => i.id === id), { timeoutMs: 10_000 });
    const earlier = await api('GET', `/${id}`, { token: centre });
    expect(earlier.body).toMatchObject({ yourRole: 'earlier-receiver', status: 'REDIRECTED', toAgency: '22-HOME_AFFAIRS' });
    expect(earlier.body).not.toHaveProperty('reason');
    expect(earlier.body).not.toHaveProperty('consent');
    expect((await step(id, 'accept', centre, 1)).status).toBe(403);
    // The sender withdraws while it waits at Home Affairs.
    expect((await step(id, 'withdraw', commune, 1, { note: 'Người này chuyển đi tỉnh khác.' })).status).toBe(200);
    await listed(commune, 'direction=outgoing&status=WITHDRAWN', id, 2);
    expect((await api('GET', `/${id}/history`, { token: await token('22-HOME_AFFAIRS', ['22'], ['auditor']) })).status).toBe(200);
  });

  it('rebuilds the read model from the log into a new version that lists the same', async () => {
    const lists = async () => Promise.all([list(commune, 'direction=outgoing'), list(centre, 'direction=incoming'), list(homeAffairs, 'direction=incoming')]);
    const count = async (dataSource: DataSource, version: number) =>
      dataSource.query(`SELECT count(*)::int AS n FROM proj_referrals_referrals_v${version}.referral_row`);
    const before = await lists();
    const dataSource = new DataSource({ type: 'postgres', url: referralsDb.url, entities: projectionEntities([referralsProjection]), logging: false });
    await dataSource.initialize();
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    try {
      const next = referralsProjection.version + 1;
      const { runner } = await rebuildProjection({ dataSource, store: referrals.store, projection: defineReferralsProjection(next), logger: quiet });
      await runner.stop();
      expect(await activeVersion(dataSource, referralsProjection.name)).toBe(next);
      expect(await count(dataSource, next)).toEqual(await count(dataSource, referralsProjection.version));
      expect((await count(dataSource, next))[0].n).toBeGreaterThanOrEqual(7);
    } finally {
      await dataSource.destroy();
    }
    expect(await lists()).toEqual(before);
  });

  it('records every reading of a referral’s reason in the person’s access log, attributed to the reader', async () => {
    const id = await create(jobReferral());
    const accessLog = async () =>
      (
        await referrals.pool.query<{ agency: string; purpose: string }>(
          `SELECT metadata->>'agency' AS agency, data->>'purpose' AS purpose FROM es_events WHERE stream_name = $1 ORDER BY global_position`,
          [`AccessLog-${personId}`],
        )
      ).rows;
    const before = (await accessLog()).length;
    const read = await api('GET', `/${id}`, { token: centre });
    expect(read.body.reason).toBe(REASON);
    const after = await accessLog();
    expect(after).toHaveLength(before + 1);
    expect(after[after.length - 1]).toEqual({ agency: CENTRE, purpose: 'referral-review' });
  });

  it('has a policy on every route', () => {
    expect(findUnguardedHandlers(referrals.service.app, { policy: referralsPolicy })).toEqual([]);
  });

  it('answers 503 and records nothing once the cases service is gone', async () => {
    const draft = await create(jobReferral({ draft: true }));
    const before = await eventCount();
    casesStopped = true;
    await cases.stop();
    const response = await api('POST', '', { token: commune, body: jobReferral() });
    expect([response.status, response.body.type]).toEqual([503, 'urn:haidang:problem:cases-unavailable']);
    // Sending a draft asks cases too: nothing is sent while it does not answer.
    const sending = await step(draft, 'sending', commune, 0, {});
    expect([sending.status, sending.body.type]).toEqual([503, 'urn:haidang:problem:cases-unavailable']);
    expect(await eventCount()).toBe(before);
    // Reads that need only referrals go on.
    expect((await api('GET', '?direction=outgoing', { token: commune })).status).toBe(200);
  });
});

describe('referrals with the cases service over NATS', () => {
  const prefix = `t${randomBytes(4).toString('hex')}.`;
  let casesDb: TestDatabase;
  let referralsDb: TestDatabase;
  let cases: CasesService;
  let casesStopped = false;
  let referrals: ReferralsService;

  beforeAll(async () => {
    const natsUrl = await resolveTestNatsUrl();
    [casesDb, referralsDb] = await Promise.all([createTestDatabase({ migrations: casesMigrations }), createTestDatabase({ migrations: referralsMigrations })]);
    cases = await startCasesService({ databaseUrl: casesDb.url, port: 0, logLevel: 'silent', natsUrl, rpcSubjectPrefix: prefix });
    referrals = await startReferralsService({
      databaseUrl: referralsDb.url,
      port: 0,
      logLevel: 'silent',
      natsUrl,
      casesSubjectPrefix: prefix,
      casesTimeoutMs: 2_000,
    });
  });
  afterAll(async () => {
    await referrals?.stop();
    if (!casesStopped) await cases?.stop();
    await Promise.all([casesDb?.drop(), referralsDb?.drop()]);
  });

  it('creates a referral after cases answered over NATS, and answers 503 when nobody listens', async () => {
    const commune = await token(COMMUNE, ['06793']);
    const { personId, caseId } = await seedCases(cases.url, commune);
    const body = { personId, caseId, toAgency: CENTRE, serviceType: 'JOB_PLACEMENT', reason: REASON, urgency: 'NORMAL' };
    const created = await call(referrals.url, 'POST', '/api/v1/referrals', { token: commune, body });
    expect(created.status).toBe(201);
    casesStopped = true;
    await cases.stop();
    const down = await call(referrals.url, 'POST', '/api/v1/referrals', { token: commune, body });
    expect(down.status).toBe(503);
    const count = await referrals.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events');
    expect(Number(count.rows[0]?.n)).toBe(1);
  });
});
