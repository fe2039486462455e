/**
 * The plans API over real HTTP and PostgreSQL: record plan 146 (201, Location, ETag), read the
 * targets in force on a day, amend under If-Match (409 stale, 428 missing), Idempotency-Key replay,
 * 400 field by field, 401/403/404/422, and the history of versions.
 */
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { campaignsMigrations, startCampaignsService, type CampaignsService } from '../campaigns-service';
import { fieldsOf, httpClient, PLAN_146, TARGET_ACTIVITY } from '../campaigns.test-fixtures';

jest.setTimeout(90_000);

describe('plans API', () => {
  let database: TestDatabase;
  let running: CampaignsService;
  const { call, token } = httpClient(() => running.url);
  let ppc: string;
  let dolisa: string;
  const planEvents = async () =>
    Number((await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name LIKE 'Plan-%'`)).rows[0]?.n);
  const adopt = async (over: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const created = await call('POST', '/api/v1/plans', { token: ppc, body: { ...PLAN_146, ...over }, headers });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, etag: created.headers.get('etag') ?? '', reply: created };
  };
  const amendment = (effectiveFrom: string, value: number) => ({
    number: `20${value}/KH-UBND`,
    issuedOn: '2022-06-15',
    effectiveFrom,
    targets: [{ ...TARGET_ACTIVITY, value }],
  });

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: campaignsMigrations });
    running = await startCampaignsService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '' });
    ppc = await token('22-PPC', ['22'], ['supervisor']);
    dolisa = await token('22-DOLISA', ['22']);
  });
  afterAll(async () => {
    await running?.stop();
    await database?.drop();
  });

  it('records plan 146 with 201, Location and ETag, and reads it back with its targets in force', async () => {
    const { id, etag, reply } = await adopt();
    expect(reply.body).toEqual({ id, version: 0 });
    expect(etag).toBe('"0"');
    expect(reply.headers.get('location')).toBe(`/api/v1/plans/${id}`);
    const read = await call('GET', `/api/v1/plans/${id}?on=2022-06-30`, { token: dolisa });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe(etag);
    expect(read.body).toMatchObject({
      id,
      number: '146/KH-UBND',
      issuedOn: '2022-05-20',
      provinceCode: '22',
      leadAgency: '22-DOLISA',
      on: '2022-06-30',
      targetsVersion: 0,
      targets: [TARGET_ACTIVITY],
    });
    // Today (2026 or later) lies outside the 2022 period: no targets in force.
    const today = await call('GET', `/api/v1/plans/${id}`, { token: dolisa });
    expect(today.body).toMatchObject({ targetsVersion: null, targets: null });
    expect((await call('GET', `/api/v1/plans/${crypto.randomUUID()}`, { token: dolisa })).status).toBe(404);
  });

  it('amends under If-Match: the new targets from their day, the old before it, every version in the history', async () => {
    const { id, etag } = await adopt();
    const amended = await call('POST', `/api/v1/plans/${id}/amendments`, { token: ppc, body: amendment('2022-07-01', 90), headers: { 'if-match': etag } });
    expect(amended.status).toBe(200);
    expect(amended.body).toEqual({ id, version: 1 });
    expect(amended.headers.get('etag')).toBe('"1"');
    const before = await call('GET', `/api/v1/plans/${id}?on=2022-06-30`, { token: ppc });
    expect(before.body).toMatchObject({ targetsVersion: 0, targets: [{ value: 100 }] });
    const after = await call('GET', `/api/v1/plans/${id}?on=2022-07-01`, { token: ppc });
    expect(after.body).toMatchObject({ targetsVersion: 1, targets: [{ value: 90 }] });
    expect((after.body.versions as { effectiveFrom: string }[]).map((v) => v.effectiveFrom)).toEqual(['2022-01-01', '2022-07-01']);
    const count = await planEvents();
    const stale = await call('POST', `/api/v1/plans/${id}/amendments`, { token: ppc, body: amendment('2022-09-01', 80), headers: { 'if-match': etag } });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    const missing = await call('POST', `/api/v1/plans/${id}/amendments`, { token: ppc, body: amendment('2022-09-01', 80) });
    expect(missing.status).toBe(428);
    expect(await planEvents()).toBe(count);
  });

  it('answers a broken rule with 422 in plain words, appending nothing', async () => {
    const count = await planEvents();
    const district = await call('POST', '/api/v1/plans', {
      token: ppc,
      body: { ...PLAN_146, issuedOn: '2025-08-01', periodFrom: '2025-08-01', periodTo: '2025-12-31', targets: [{ ...TARGET_ACTIVITY, unitLevel: 'DISTRICT' }] },
    });
    expect(district.status).toBe(422);
    expect(district.body).toMatchObject({ type: expect.stringContaining('district-after-reform') });
    const { id, etag } = await adopt();
    const outside = await call('POST', `/api/v1/plans/${id}/amendments`, { token: ppc, body: amendment('2023-02-01', 90), headers: { 'if-match': etag } });
    expect(outside.status).toBe(422);
    expect(outside.body).toMatchObject({ detail: expect.stringContaining('after the first day of the plan period') });
    expect(await planEvents()).toBe(count + 1);
  });

  it('records nothing twice under the same Idempotency-Key, and refuses another request under it', async () => {
    const headers = { 'idempotency-key': 'plan-146-v1' };
    const first = await adopt({}, headers);
    const count = await planEvents();
    const retry = await adopt({}, headers);
    expect(retry.id).toBe(first.id);
    expect(await planEvents()).toBe(count);
    const reused = await call('POST', '/api/v1/plans', { token: ppc, body: { ...PLAN_146, number: '147/KH-UBND' }, headers });
    expect(reused.status).toBe(422);
    expect(await planEvents()).toBe(count);
  });

  it('answers bad input with 400 naming each field', async () => {
    const bad = await call('POST', '/api/v1/plans', {
      token: ppc,
      body: {
        ...PLAN_146,
        issuedBy: 'UBND',
        issuedOn: '2022-02-30',
        leadAgency: 5,
        extra: true,
        targets: [{ ...TARGET_ACTIVITY, kind: 'RATIO', value: 'all', countedEvents: [] }],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(fieldsOf(bad)).toEqual(
      expect.arrayContaining(['issuedBy', 'issuedOn', 'leadAgency', 'extra', 'targets.0.kind', 'targets.0.value', 'targets.0.countedEvents']),
    );
    expect((await call('GET', `/api/v1/plans/${crypto.randomUUID()}?on=2022-13-01`, { token: ppc })).status).toBe(400);
  });

  it('answers 401 without a token and 403 to an agency or province the policy does not name', async () => {
    const { id, etag } = await adopt();
    expect((await call('GET', `/api/v1/plans/${id}`)).status).toBe(401);
    expect((await call('POST', '/api/v1/plans', { body: PLAN_146 })).status).toBe(401);
    const commune = await token('22-COMMUNE-06793', ['06793']);
    expect((await call('GET', `/api/v1/plans/${id}`, { token: commune })).status).toBe(200);
    expect((await call('POST', '/api/v1/plans', { token: commune, body: PLAN_146 })).status).toBe(403);
    const otherProvince = await token('20-PPC', ['20'], ['supervisor']);
    expect((await call('GET', `/api/v1/plans/${id}`, { token: otherProvince })).status).toBe(403);
    expect(
      (await call('POST', `/api/v1/plans/${id}/amendments`, { token: otherProvince, body: amendment('2022-08-01', 90), headers: { 'if-match': etag } })).status,
    ).toBe(403);
  });
});
