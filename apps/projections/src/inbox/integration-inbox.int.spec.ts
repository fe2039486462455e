/**
 * The projections service on real PostgreSQL and a real NATS JetStream: integration events of the
 * other services (published here as their outboxes would) become indicators and working lists;
 * a redelivery changes nothing, a message that breaks its contract is dead-lettered and the next one
 * still applied, a rebuild from the inbox gives identical tables and identical answers, the
 * commit → read-model latency is a histogram on /metrics, and every read is in the access log.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { signDevToken } from '@haidang/auth';
import { JetStreamEventBus } from '@haidang/messaging';
import { createTestDatabase, createTestJetStream, waitFor, type TestDatabase, type TestJetStream } from '@haidang/testing';
import { projectionsMigrations, startProjectionsService, type ProjectionsService } from '../projections-service';
import { activityRecorded, planAdopted, PLAN_146_ID, publishIntegration, referralAccepted, rehabStarted } from '../projections.test-fixtures';
import { InsightsStore } from './insights-store';

jest.setTimeout(90_000);

const NOW = new Date('2022-08-01T03:00:00Z');
const CAM_PHA = '06793';
const HA_TU = '06652';

interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly body: Record<string, unknown>;
}

describe('projections inbox on PostgreSQL and JetStream', () => {
  let database: TestDatabase;
  let jetStream: TestJetStream;
  let bus: JetStreamEventBus;
  let running: ProjectionsService;
  let prefix: string;
  let analyst: string;
  const caseId = randomUUID();
  let activityOfArticle: ReturnType<typeof activityRecorded>;

  const get = async (path: string, token?: string): Promise<Reply> => {
    const response = await fetch(`${running.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { text },
    };
  };
  const cells = async (query: string, token = analyst) => {
    const reply = await get(`/api/v1/indicators?${query}`, token);
    expect(reply.status).toBe(200);
    return reply.body['items'] as Array<Record<string, unknown>>;
  };
  const applied = async () =>
    Number((await database.pool.query<{ n: string }>('SELECT coalesce(sum(applied), 0) AS n FROM insights.source_checkpoint')).rows[0]?.n);

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: projectionsMigrations });
    jetStream = await createTestJetStream();
    prefix = `${jetStream.subjectPrefix}.int`;
    bus = new JetStreamEventBus({ servers: jetStream.url, stream: jetStream.streamName });
    running = await startProjectionsService({
      databaseUrl: database.url,
      port: 0,
      logLevel: 'silent',
      natsUrl: '',
      bus,
      clock: () => NOW,
      eventSubjectPrefix: jetStream.subjectPrefix,
      integrationSubjectPrefix: prefix,
    });
    analyst = await signDevToken({ agency: '22-PPC', roles: ['analyst'], units: ['22'] });
    const at = new Date().toISOString();
    activityOfArticle = activityRecorded(at, CAM_PHA);
    await publishIntegration(bus, prefix, [
      planAdopted(at),
      ...Array.from({ length: 6 }, () => rehabStarted(at, CAM_PHA, 'VOLUNTARY_FACILITY')),
      rehabStarted(at, HA_TU, 'VOLUNTARY_COMMUNITY', '2022-07-04', caseId),
      rehabStarted(at, HA_TU, 'VOLUNTARY_COMMUNITY'),
      activityOfArticle,
      referralAccepted(at, caseId),
    ]);
    await waitFor(async () => (await applied()) === 11, { timeoutMs: 30_000 });
  });
  afterAll(async () => {
    await running?.stop();
    await bus?.close();
    await jetStream?.cleanup();
    await database?.drop();
  });

  it('computes the province figures with the plan target and the share achieved', async () => {
    const items = await cells(
      `provinceCode=22&period=2022-Q3&codes=REHAB_ADMISSIONS,REHAB_ADMISSIONS_FACILITY,REHAB_ADMISSIONS_COMMUNITY,COMMUNES_WITH_ACTIVITY`,
    );
    const byCode = Object.fromEntries(items.map((c) => [c['code'], c]));
    expect(byCode['REHAB_ADMISSIONS']).toMatchObject({
      unitCode: '22',
      value: 8,
      target: { value: 900, unit: 'COUNT' },
      shareAchieved: 0.009,
      suppressed: false,
    });
    expect(byCode['REHAB_ADMISSIONS_FACILITY']).toMatchObject({ value: 6, target: { value: 750 } });
    expect(byCode['REHAB_ADMISSIONS_COMMUNITY']).toMatchObject({ value: 2, target: { value: 150 } });
    expect(byCode['COMMUNES_WITH_ACTIVITY']).toMatchObject({ numerator: 1, denominator: 54, value: 1.9, target: { value: 100, unit: 'PERCENT' } });
  });

  it("answers the plan's whole period for period=plan", async () => {
    const items = await cells(`provinceCode=22&period=plan&codes=REHAB_ADMISSIONS`);
    expect(items[0]).toMatchObject({ value: 8, period: { kind: 'PLAN', label: PLAN_146_ID, from: '2022-05-20', to: '2022-12-31' } });
  });

  it('hides the small commune from the province analyst, and Cẩm Phả with it, but shows the commune its own figure', async () => {
    const row = await cells(`provinceCode=22&unitLevel=COMMUNE&period=2022-Q3&codes=REHAB_ADMISSIONS`);
    expect(
      row
        .filter((c) => c['suppressed'])
        .map((c) => c['unitCode'])
        .sort(),
    ).toEqual([HA_TU, CAM_PHA].sort());
    expect(row.find((c) => c['unitCode'] === HA_TU)).toMatchObject({ value: null, numerator: null });
    const haTu = await signDevToken({ agency: `22-COMMUNE-${HA_TU}`, roles: ['analyst'], units: [HA_TU] });
    const own = await cells(`provinceCode=22&unitLevel=COMMUNE&unitCode=${HA_TU}&period=2022-Q3&codes=REHAB_ADMISSIONS`, haTu);
    expect(own).toEqual([expect.objectContaining({ unitCode: HA_TU, value: 2, suppressed: false })]);
  });

  it('gives a monthly series', async () => {
    const reply = await get(`/api/v1/indicators/REHAB_ADMISSIONS/series?provinceCode=22&periodKind=MONTH&from=2022-06-01&to=2022-08-31`, analyst);
    expect(reply.status).toBe(200);
    expect((reply.body['points'] as Array<{ value: number }>).map((p) => p.value)).toEqual([0, 8, 0]);
  });

  it('refuses bad query parameters field by field, and other provinces and roles', async () => {
    const bad = await get(`/api/v1/indicators?provinceCode=2&period=2022-13&unitLevel=TOWN`, analyst);
    expect(bad.status).toBe(400);
    expect(bad.contentType).toMatch(/^application\/problem\+json/);
    expect((bad.body['errors'] as Array<{ field: string }>).map((e) => e.field).sort()).toEqual(['period', 'provinceCode', 'unitLevel']);
    const series = await get(`/api/v1/indicators/REHAB_ADMISSIONS/series?provinceCode=22&periodKind=MONTH&from=2022-09-01&to=2022-08-01`, analyst);
    expect(series.status).toBe(400);
    const langSon = await signDevToken({ agency: '20-PPC', roles: ['analyst'], units: ['20'] });
    expect((await get(`/api/v1/indicators?provinceCode=22&period=2022`, langSon)).status).toBe(403);
    const caseworker = await signDevToken({ agency: '22-PPC', roles: ['caseworker'], units: ['22'] });
    expect((await get(`/api/v1/indicators?provinceCode=22&period=2022`, caseworker)).status).toBe(403);
    expect((await get(`/api/v1/indicators?provinceCode=22&period=2022`)).status).toBe(401);
    expect((await get(`/api/v1/indicators?provinceCode=22&period=2022&planId=${randomUUID()}`, analyst)).status).toBe(404);
  });

  it('answers any query string with no 5xx, and problem+json for every 4xx', async () => {
    const key = fc.constantFrom('provinceCode', 'unitLevel', 'unitCode', 'period', 'codes', 'planId', 'periodKind', 'from', 'to', '__proto__', 'x');
    const value = fc.oneof(
      fc.constantFrom('22', '06793', '001', 'plan', '2022-Q3', 'COMMUNE', 'MONTH', '2022-01-01', 'REHAB_ADMISSIONS,', ''),
      fc.string({ maxLength: 20 }),
    );
    const path = fc.constantFrom(
      '/api/v1/indicators',
      '/api/v1/indicators/REHAB_ADMISSIONS/series',
      '/api/v1/indicators/%00bad/series',
      '/api/v1/worklists/commune-caseload',
    );
    await fc.assert(
      fc.asyncProperty(path, fc.array(fc.tuple(key, value), { maxLength: 6 }), async (route, pairs) => {
        const query = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const reply = await get(`${route}?${query}`, analyst);
        expect(reply.status).toBeLessThan(500);
        if (reply.status >= 400) expect(reply.contentType).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: 150, seed: 15 },
    );
  });

  it('records every read in the access log', async () => {
    await cells(`provinceCode=22&period=2022`);
    const records: Array<Record<string, unknown>> = [];
    for await (const event of running.store.readStream('AccessLog-indicators:22')) records.push(event.data as Record<string, unknown>);
    expect(records.length).toBeGreaterThan(0);
    expect(records[records.length - 1]).toMatchObject({ action: 'read', purpose: 'indicators-query', query: { provinceCode: '22', period: '2022' } });
  });

  it('gives the commune its caseload across services: cases due and referrals waiting, ids and codes only', async () => {
    const commune = await signDevToken({ agency: `22-COMMUNE-${HA_TU}`, roles: ['caseworker'], units: [HA_TU] });
    const reply = await get(`/api/v1/worklists/commune-caseload`, commune);
    expect(reply.status).toBe(200);
    expect((reply.body['casesDue'] as unknown[]).length).toBe(2);
    expect(reply.body['referralsWaiting']).toEqual([expect.objectContaining({ caseId, communeCode: HA_TU, serviceType: 'COUNSELLING' })]);
    expect(JSON.stringify(reply.body)).not.toMatch(/personId|name/);
    const facility = await signDevToken({ agency: '22-REHAB_FACILITY-1', roles: ['caseworker'], units: ['22'] });
    expect(((await get(`/api/v1/worklists/facility-admissions`, facility)).body['items'] as unknown[]).length).toBe(6);
    expect((await get(`/api/v1/worklists/commune-caseload`, analyst)).status).toBe(403);
  });

  it('applies a redelivered event once, and dead-letters a message that breaks its contract without holding back the next', async () => {
    const before = await cells(`provinceCode=22&period=2022-Q3&codes=REHAB_ADMISSIONS`);
    const again = rehabStarted(new Date().toISOString(), CAM_PHA, 'VOLUNTARY_FACILITY');
    const broken = { ...rehabStarted(new Date().toISOString(), CAM_PHA, 'VOLUNTARY_FACILITY'), communeCode: 'Cẩm Phả' };
    const after = rehabStarted(new Date().toISOString(), CAM_PHA, 'VOLUNTARY_FACILITY', '2022-10-03');
    await publishIntegration(bus, prefix, [again, again, broken, after]);
    // One domain event may yield several integration events of different types: each counts.
    const article = {
      type: 'campaigns.ArticlePublished.v1',
      version: 1,
      eventId: activityOfArticle.eventId,
      occurredAt: new Date().toISOString(),
      activityId: activityOfArticle.activityId,
      provinceCode: '22',
      publishedOn: '2022-07-10',
      outlet: 'Báo Quảng Ninh',
      outletLevel: 'PROVINCIAL',
      url: 'https://baoquangninh.vn/a',
      planId: PLAN_146_ID,
    };
    await publishIntegration(bus, prefix, [article]);
    await waitFor(async () => (await applied()) === 14, { timeoutMs: 30_000 });
    expect((await cells(`provinceCode=22&period=2022-Q3&codes=ARTICLES_PER_WEEK`))[0]).toMatchObject({ numerator: 1 });
    const dead = await database.pool.query<{ consumer: string }>(`SELECT consumer FROM messaging_dead_letters`);
    expect(dead.rows.map((r) => r.consumer)).toEqual(['projections-inbox-cases']);
    const now = await cells(`provinceCode=22&period=2022-Q3&codes=REHAB_ADMISSIONS`);
    expect(now[0]?.['value']).toBe((before[0]?.['value'] as number) + 1);
  });

  it('rebuilds from zero to identical tables and identical answers', async () => {
    const store = new InsightsStore(database.pool);
    const tablesBefore = await store.snapshot();
    const answerBefore = await cells(`provinceCode=22&unitLevel=COMMUNE&period=2022`);
    expect(await store.rebuild()).toBe(14);
    expect(await store.snapshot()).toEqual(tablesBefore);
    expect(await cells(`provinceCode=22&unitLevel=COMMUNE&period=2022`)).toEqual(answerBefore);
    // A deploy with another mapping version rebuilds once, to the same tables for the same mapping.
    expect(await store.ensureDerivedVersion(2)).toBe(true);
    expect(await store.ensureDerivedVersion(2)).toBe(false);
    expect(await store.snapshot()).toEqual(tablesBefore);
  });

  it('exposes the commit → read-model latency histogram and the per-source counters on /metrics', async () => {
    const reply = await fetch(`${running.url}/metrics`);
    const text = await reply.text();
    expect(text).toMatch(/haidang_projection_commit_to_read_model_seconds_count\{source="cases"\} 1[0-9]/);
    expect(text).toMatch(/haidang_projection_commit_to_read_model_seconds_bucket\{le="[0-9.]+",source="campaigns"\} [123]/);
    expect(text).toMatch(/haidang_projections_events_redelivered_total\{source="cases"\} 1/);
  });
});
