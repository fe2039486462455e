/**
 * The support-models API over real HTTP and PostgreSQL: found the after-care club 22-SUPPORT_MODEL-3
 * (201; its id follows from its code, a second founding under it is 409), read it by id or code,
 * log counts as the club itself, deactivate and reactivate under If-Match, the border guard's own
 * mass-mobilisation model, 400 field by field, 401/403/404/422.
 */
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { campaignsMigrations, startCampaignsService, type CampaignsService } from '../campaigns-service';
import { fieldsOf, httpClient } from '../campaigns.test-fixtures';
import { supportModelIdFor } from './support-model-commands';

jest.setTimeout(90_000);

const CLUB = {
  modelCode: '22-SUPPORT_MODEL-3',
  name: 'CLB hỗ trợ người sau cai nghiện phường Cẩm Phả',
  kind: 'AFTER_CARE_CLUB',
  ownerType: 'COMMUNE',
  ownerAgency: '22-COMMUNE-06793',
  communeCode: '06793',
  foundedOn: '2019-03-15',
};
const LOG = { periodFrom: '2022-04-01', periodTo: '2022-06-30', meetings: 3, members: 18, personsSupported: 7 };

describe('support models API', () => {
  let database: TestDatabase;
  let running: CampaignsService;
  const { call, token } = httpClient(() => running.url);
  let commune: string;
  const eventCount = async () =>
    Number((await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name LIKE 'SupportModel-%'`)).rows[0]?.n);
  const found = async (body: Record<string, unknown>, as: string = commune, headers: Record<string, string> = {}) => {
    const created = await call('POST', '/api/v1/support-models', { token: as, body, headers });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, etag: created.headers.get('etag') ?? '' };
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: campaignsMigrations });
    running = await startCampaignsService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '' });
    commune = await token('22-COMMUNE-06793', ['06793']);
  });
  afterAll(async () => {
    await running?.stop();
    await database?.drop();
  });

  it('founds the after-care club referrals knows, under an id that follows from its code; the code is taken once', async () => {
    const { id, etag } = await found(CLUB, commune, { 'idempotency-key': 'club-0003' });
    expect(id).toBe(supportModelIdFor('22-SUPPORT_MODEL-3'));
    expect(etag).toBe('"0"');
    const byCode = await call('GET', '/api/v1/support-models/22-SUPPORT_MODEL-3', { token: commune });
    expect(byCode.status).toBe(200);
    expect(byCode.body).toMatchObject({ id, status: 'ACTIVE', kind: 'AFTER_CARE_CLUB', provinceCode: '22', activeSpans: [{ from: '2019-03-15', to: null }] });
    expect((await call('GET', `/api/v1/support-models/${id}`, { token: commune })).body).toEqual(byCode.body);
    const before = await eventCount();
    // The same request under its key is a retry; another founding under the code is a conflict.
    expect((await call('POST', '/api/v1/support-models', { token: commune, body: CLUB, headers: { 'idempotency-key': 'club-0003' } })).status).toBe(201);
    const again = await call('POST', '/api/v1/support-models', { token: commune, body: { ...CLUB, name: 'Another club' } });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(await eventCount()).toBe(before);
    expect((await call('GET', '/api/v1/support-models/22-SUPPORT_MODEL-999', { token: commune })).status).toBe(404);
    expect((await call('GET', '/api/v1/support-models/not-a-model', { token: commune })).status).toBe(400);
  });

  it('lets the club log its own activity as counts, and no other model log it', async () => {
    const id = supportModelIdFor('22-SUPPORT_MODEL-3');
    const club = await token('22-SUPPORT_MODEL-3', ['22']);
    const { version } = (await call('GET', `/api/v1/support-models/${id}`, { token: club })).body as { version: number };
    const logged = await call('POST', `/api/v1/support-models/${id}/activity-logs`, { token: club, body: LOG, headers: { 'if-match': `"${version}"` } });
    expect(logged.status).toBe(200);
    expect((await call('GET', `/api/v1/support-models/${id}`, { token: club })).body).toMatchObject({
      totals: { logs: 1, meetings: 3, personsSupported: 7, lastMembers: 18 },
    });
    const other = await token('22-SUPPORT_MODEL-4', ['22']);
    expect(
      (await call('POST', `/api/v1/support-models/${id}/activity-logs`, { token: other, body: LOG, headers: { 'if-match': `"${version + 1}"` } })).status,
    ).toBe(403);
    expect((await call('GET', `/api/v1/support-models/${id}`, { token: other })).status).toBe(403);
    expect(
      (
        await call('POST', `/api/v1/support-models/${id}/deactivation`, {
          token: club,
          body: { deactivatedOn: '2022-09-01', reason: 'OTHER' },
          headers: { 'if-match': `"${version + 1}"` },
        })
      ).status,
    ).toBe(403);
  });

  it('deactivates and reactivates under If-Match with dates: 409 stale, 428 missing, 422 for a broken rule', async () => {
    const { id, etag } = await found({ ...CLUB, modelCode: '22-SUPPORT_MODEL-11', kind: 'VOLUNTEER_TEAM', name: 'Đội CTXH tình nguyện phường Cẩm Phả' });
    const off = await call('POST', `/api/v1/support-models/${id}/deactivation`, {
      token: commune,
      body: { deactivatedOn: '2022-09-01', reason: 'NO_FUNDING' },
      headers: { 'if-match': etag },
    });
    expect(off.status).toBe(200);
    expect(off.headers.get('etag')).toBe('"1"');
    const before = await eventCount();
    expect(
      (
        await call('POST', `/api/v1/support-models/${id}/reactivation`, {
          token: commune,
          body: { reactivatedOn: '2022-10-01' },
          headers: { 'if-match': etag },
        })
      ).status,
    ).toBe(409);
    expect((await call('POST', `/api/v1/support-models/${id}/reactivation`, { token: commune, body: { reactivatedOn: '2022-10-01' } })).status).toBe(428);
    const early = await call('POST', `/api/v1/support-models/${id}/reactivation`, {
      token: commune,
      body: { reactivatedOn: '2022-08-01' },
      headers: { 'if-match': '"1"' },
    });
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ type: expect.stringContaining('before-deactivated') });
    const lateLog = await call('POST', `/api/v1/support-models/${id}/activity-logs`, {
      token: commune,
      body: { ...LOG, periodFrom: '2022-09-05', periodTo: '2022-09-30' },
      headers: { 'if-match': '"1"' },
    });
    expect(lateLog.status).toBe(422);
    expect(await eventCount()).toBe(before);
    const on = await call('POST', `/api/v1/support-models/${id}/reactivation`, {
      token: commune,
      body: { reactivatedOn: '2022-10-01' },
      headers: { 'if-match': '"1"' },
    });
    expect(on.status).toBe(200);
    expect((await call('GET', `/api/v1/support-models/${id}`, { token: commune })).body).toMatchObject({
      status: 'ACTIVE',
      activeSpans: [
        { from: '2019-03-15', to: '2022-09-01' },
        { from: '2022-10-01', to: null },
      ],
    });
  });

  it('lets the border guard found and run its own mass-mobilisation model, and only its own', async () => {
    const border = await token('22-BORDER_GUARD', ['22']);
    const model = {
      ...CLUB,
      modelCode: '22-SUPPORT_MODEL-40',
      kind: 'MASS_MOBILISATION_MODEL',
      ownerType: 'BORDER_GUARD',
      ownerAgency: '22-BORDER_GUARD',
      name: 'Hợp sức toàn dân',
    };
    const { id, etag } = await found(model, border);
    expect((await call('POST', `/api/v1/support-models/${id}/activity-logs`, { token: border, body: LOG, headers: { 'if-match': etag } })).status).toBe(200);
    const notOwn = await call('POST', '/api/v1/support-models', {
      token: border,
      body: { ...model, modelCode: '22-SUPPORT_MODEL-41', ownerAgency: '22-COMMUNE-06793' },
    });
    expect(notOwn.status).toBe(403);
    const clubId = supportModelIdFor('22-SUPPORT_MODEL-3');
    expect((await call('GET', `/api/v1/support-models/${clubId}`, { token: border })).status).toBe(403);
  });

  it('answers bad input with 400 naming each field, a code of another province with 422, and 401/403', async () => {
    const before = await eventCount();
    const bad = await call('POST', '/api/v1/support-models', {
      token: commune,
      body: { ...CLUB, modelCode: 'CLUB-3', kind: 'CHOIR', foundedOn: '2019-02-30', communeCode: '6793', extra: 1 },
    });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['modelCode', 'kind', 'foundedOn', 'communeCode', 'extra']));
    const id = supportModelIdFor('22-SUPPORT_MODEL-3');
    const badLog = await call('POST', `/api/v1/support-models/${id}/activity-logs`, {
      token: commune,
      body: { ...LOG, meetings: -1, personsSupported: 'many' },
      headers: { 'if-match': '"1"' },
    });
    expect(fieldsOf(badLog)).toEqual(expect.arrayContaining(['meetings', 'personsSupported']));
    const otherProvince = await call('POST', '/api/v1/support-models', { token: commune, body: { ...CLUB, modelCode: '20-SUPPORT_MODEL-3' } });
    expect([otherProvince.status, otherProvince.body.type]).toEqual([422, expect.stringContaining('invalid-code')]);
    expect(await eventCount()).toBe(before);
    expect((await call('POST', '/api/v1/support-models', { body: CLUB })).status).toBe(401);
    expect(
      (await call('POST', '/api/v1/support-models', { token: await token('22-COMMUNE-06685', ['06685']), body: { ...CLUB, modelCode: '22-SUPPORT_MODEL-50' } }))
        .status,
    ).toBe(403);
    expect((await call('GET', `/api/v1/support-models/${id}`, { token: await token('22-PPC', ['22'], ['analyst']) })).status).toBe(200);
  });
});
