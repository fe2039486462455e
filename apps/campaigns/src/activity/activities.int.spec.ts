/**
 * The activities API over real HTTP and PostgreSQL: record a meeting and an article (201,
 * Location, ETag), read (ETag), withdraw under If-Match (409 stale, 428 missing), Idempotency-Key
 * replay, the linked plan's period, 400 field by field, 401/403/404/409/422, and the list from the
 * read model within the caller's scope.
 */
import { findUnguardedHandlers } from '@haidang/auth';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { campaignsMigrations, startCampaignsService, type CampaignsService } from '../campaigns-service';
import { campaignsPolicy } from '../campaigns.policy';
import { ARTICLE, fieldsOf, httpClient, MEETING, PLAN_146 } from '../campaigns.test-fixtures';

jest.setTimeout(90_000);

describe('activities API', () => {
  let database: TestDatabase;
  let running: CampaignsService;
  const { call, token } = httpClient(() => running.url);
  let commune: string;
  let dolisa: string;
  let planId: string;
  const eventCount = async () =>
    Number((await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name LIKE 'Activity-%'`)).rows[0]?.n);
  const record = async (body: Record<string, unknown> = MEETING, as: string = commune, headers: Record<string, string> = {}) => {
    const created = await call('POST', '/api/v1/activities', { token: as, body, headers });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, etag: created.headers.get('etag') ?? '', reply: created };
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: campaignsMigrations });
    // The list test polls the read model: on a loaded machine it lags long enough to spend the default per-principal budget.
    running = await startCampaignsService({
      databaseUrl: database.url,
      port: 0,
      logLevel: 'silent',
      natsUrl: '',
      rateLimit: { limit: 100_000, windowMs: 60_000 },
    });
    commune = await token('22-COMMUNE-06793', ['06793']);
    dolisa = await token('22-DOLISA', ['22']);
    const plan = await call('POST', '/api/v1/plans', { token: await token('22-PPC', ['22']), body: PLAN_146 });
    planId = plan.body.id as string;
  });
  afterAll(async () => {
    await running?.stop();
    await database?.drop();
  });

  it('records a meeting with 201, Location and ETag, and reads it back', async () => {
    const { id, etag, reply } = await record({ ...MEETING, planId });
    expect(reply.body).toEqual({ id, version: 0 });
    expect(etag).toBe('"0"');
    expect(reply.headers.get('location')).toBe(`/api/v1/activities/${id}`);
    const read = await call('GET', `/api/v1/activities/${id}`, { token: commune });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe(etag);
    expect(read.body).toEqual({
      id,
      version: 0,
      status: 'RECORDED',
      activityId: id,
      provinceCode: '22',
      communeCodes: ['06793'],
      organiser: '22-COMMUNE-06793',
      heldOn: '2022-06-26',
      form: 'MEETING',
      venueType: 'RESIDENTIAL_AREA',
      audienceType: 'GENERAL_PUBLIC',
      audienceCount: 120,
      campaignMonth: 'DRUG_PREVENTION_MONTH',
      planId,
      article: null,
      establishmentIds: [],
      withdrawnOn: null,
      withdrawalReason: null,
    });
    expect((await call('GET', `/api/v1/activities/${crypto.randomUUID()}`, { token: commune })).status).toBe(404);
  });

  it('records an article of the register for the province, by the department holding the function in 2022', async () => {
    const { id } = await record({ ...ARTICLE, planId }, dolisa);
    const read = await call('GET', `/api/v1/activities/${id}`, { token: await token('22-PPC', ['22'], ['analyst']) });
    expect(read.body).toMatchObject({ form: 'ARTICLE', communeCodes: [], provinceCode: '22', article: ARTICLE.article });
    // In 2026 the function is Health's: DOLISA's record is refused in plain words, Health's accepted.
    const late = await call('POST', '/api/v1/activities', { token: dolisa, body: { ...ARTICLE, heldOn: '2026-06-26' } });
    expect(late.status).toBe(422);
    expect(late.body).toMatchObject({ type: expect.stringContaining('agency-not-holder') });
    await record({ ...ARTICLE, heldOn: '2026-06-26' }, await token('22-HEALTH', ['22']));
  });

  it('withdraws under If-Match: 200 and a new ETag, then 409 for the stale one and 428 without', async () => {
    const { id, etag } = await record();
    const body = { withdrawnOn: '2022-07-01', reason: 'DUPLICATE' };
    const done = await call('POST', `/api/v1/activities/${id}/withdrawal`, { token: commune, body, headers: { 'if-match': etag } });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ id, version: 1 });
    expect(done.headers.get('etag')).toBe('"1"');
    expect((await call('GET', `/api/v1/activities/${id}`, { token: commune })).body).toMatchObject({ status: 'WITHDRAWN', withdrawalReason: 'DUPLICATE' });
    const before = await eventCount();
    expect((await call('POST', `/api/v1/activities/${id}/withdrawal`, { token: commune, body, headers: { 'if-match': etag } })).status).toBe(409);
    expect((await call('POST', `/api/v1/activities/${id}/withdrawal`, { token: commune, body })).status).toBe(428);
    const again = await call('POST', `/api/v1/activities/${id}/withdrawal`, { token: commune, body, headers: { 'if-match': '"1"' } });
    expect(again.status).toBe(422);
    expect(await eventCount()).toBe(before);
  });

  it('answers the domain’s rules with 422 and appends nothing: action month, plan period, unknown plan, unknown commune', async () => {
    const before = await eventCount();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...MEETING, heldOn: '2022-07-05' }, 'outside-campaign-month'],
      [{ ...MEETING, heldOn: '2021-06-26', planId }, 'outside-plan-period'],
      [{ ...MEETING, planId: crypto.randomUUID() }, 'unknown-plan'],
      [{ ...MEETING, form: 'ARTICLE', venueType: 'MEDIA' }, 'article-details'],
      [{ ...MEETING, communeCodes: ['99999'] }, 'unknown-commune'],
    ];
    for (const [body, code] of cases) {
      const reply = await call('POST', '/api/v1/activities', { token: body.communeCodes === MEETING.communeCodes ? commune : dolisa, body });
      expect([reply.status, reply.body.type]).toEqual([422, expect.stringContaining(code)]);
    }
    expect(await eventCount()).toBe(before);
  });

  it('appends nothing when a record is retried under the same Idempotency-Key; another request under it is refused', async () => {
    const headers = { 'idempotency-key': 'activity-0001' };
    const first = await record(MEETING, commune, headers);
    const after = await eventCount();
    const retry = await record(MEETING, commune, headers);
    expect(retry.id).toBe(first.id);
    expect(retry.etag).toBe(first.etag);
    expect(await eventCount()).toBe(after);
    const reused = await call('POST', '/api/v1/activities', { token: commune, body: { ...MEETING, audienceCount: 99 }, headers });
    expect(reused.status).toBe(422);
    expect(await eventCount()).toBe(after);
  });

  it('answers bad input with 400 problem+json naming each field, appending nothing', async () => {
    const before = await eventCount();
    const bad = await call('POST', '/api/v1/activities', {
      token: commune,
      body: { communeCodes: ['x'], heldOn: '2022-02-30', form: 'DANCE', venueType: 'PARK', audienceType: 1, audienceCount: -5, planId: 'p', extra: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['communeCodes', 'heldOn', 'form', 'venueType', 'audienceType', 'audienceCount', 'planId', 'extra']));
    const badArticle = await call('POST', '/api/v1/activities', {
      token: dolisa,
      body: { ...ARTICLE, article: { ...ARTICLE.article, url: 'not a url', outletLevel: 'X' } },
    });
    expect(fieldsOf(badArticle)).toEqual(expect.arrayContaining(['article.url', 'article.outletLevel']));
    const { id, etag } = await record();
    const badStep = await call('POST', `/api/v1/activities/${id}/withdrawal`, {
      token: commune,
      body: { withdrawnOn: '01/07/2022', reason: 'BORED' },
      headers: { 'if-match': etag },
    });
    expect(fieldsOf(badStep)).toEqual(expect.arrayContaining(['withdrawnOn', 'reason']));
    expect((await call('POST', '/api/v1/activities', { token: commune, raw: '{"communeCodes": [' })).status).toBe(400);
    expect(await eventCount()).toBe(before + 1);
  });

  it('answers 401 without a token and 403 outside the agency types or the jurisdiction', async () => {
    const { id, etag } = await record();
    expect((await call('GET', `/api/v1/activities/${id}`)).status).toBe(401);
    expect((await call('POST', '/api/v1/activities', { body: MEETING })).status).toBe(401);
    const police = await token('22-POLICE', ['22']);
    expect((await call('GET', `/api/v1/activities/${id}`, { token: police })).status).toBe(403);
    expect((await call('POST', '/api/v1/activities', { token: police, body: MEETING })).status).toBe(403);
    const elsewhere = await token('22-COMMUNE-06685', ['06685']);
    expect((await call('GET', `/api/v1/activities/${id}`, { token: elsewhere })).status).toBe(403);
    expect(
      (
        await call('POST', `/api/v1/activities/${id}/withdrawal`, {
          token: elsewhere,
          body: { withdrawnOn: '2022-07-01', reason: 'DUPLICATE' },
          headers: { 'if-match': etag },
        })
      ).status,
    ).toBe(403);
    const before = await eventCount();
    // A commune records only in its own communes, every one of them.
    expect((await call('POST', '/api/v1/activities', { token: commune, body: { ...MEETING, communeCodes: ['06793', '06685'] } })).status).toBe(403);
    expect((await call('POST', '/api/v1/activities', { token: commune, body: ARTICLE })).status).toBe(403);
    expect(await eventCount()).toBe(before);
    expect(findUnguardedHandlers(running.service.app, { policy: campaignsPolicy })).toEqual([]);
  });

  it('lists activities from the read model, within the caller’s scope only', async () => {
    const { id } = await record({ ...MEETING, communeCodes: ['06793'], heldOn: '2022-06-05' });
    let items: Record<string, unknown>[] = [];
    await waitFor(
      async () => {
        const listed = await call('GET', '/api/v1/activities?communeCode=06793&status=RECORDED&from=2022-06-01&to=2022-06-05', { token: commune });
        items = listed.status === 200 ? (listed.body.items as Record<string, unknown>[]) : [];
        return items.some((item) => item.id === id);
      },
      { timeoutMs: 60_000 },
    );
    expect(items.find((item) => item.id === id)).toMatchObject({
      communeCodes: ['06793'],
      heldOn: '2022-06-05',
      form: 'MEETING',
      status: 'RECORDED',
      version: 0,
    });
    const articles = await call('GET', '/api/v1/activities?form=ARTICLE', { token: await token('22-PPC', ['22'], ['analyst']) });
    expect(articles.status).toBe(200);
    const elsewhere = await call('GET', '/api/v1/activities', { token: await token('22-COMMUNE-06685', ['06685']) });
    expect((elsewhere.body.items as Record<string, unknown>[]).some((item) => item.id === id)).toBe(false);
    expect((await call('GET', '/api/v1/activities?communeCode=06685', { token: commune })).status).toBe(403);
    expect((await call('GET', '/api/v1/activities', { token: await token('20-DOLISA', ['20']) })).body).toMatchObject({ total: 0 });
  });
});
