/** The surveys API over real HTTP and PostgreSQL: record (201, ETag), read with the share aware, 400, 401/403/404/422, Idempotency-Key. */
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { campaignsMigrations, startCampaignsService, type CampaignsService } from '../campaigns-service';
import { fieldsOf, httpClient } from '../campaigns.test-fixtures';

jest.setTimeout(90_000);

const SURVEY = {
  conductedFrom: '2022-11-01',
  conductedTo: '2022-11-30',
  results: [
    { group: 'OFFICIALS', unitCode: '22', sampleSize: 400, aware: 262 },
    { group: 'ADULTS', unitCode: '06793', sampleSize: 1000, aware: 541 },
  ],
};

describe('surveys API', () => {
  let database: TestDatabase;
  let running: CampaignsService;
  const { call, token } = httpClient(() => running.url);
  let dolisa: string;
  const eventCount = async () =>
    Number((await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name LIKE 'Survey-%'`)).rows[0]?.n);

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: campaignsMigrations });
    running = await startCampaignsService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '' });
    dolisa = await token('22-DOLISA', ['22']);
  });
  afterAll(async () => {
    await running?.stop();
    await database?.drop();
  });

  it('records a survey once under its key and reads the share aware per group and locality', async () => {
    const headers = { 'idempotency-key': 'survey-2022' };
    const created = await call('POST', '/api/v1/surveys', { token: dolisa, body: SURVEY, headers });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"0"');
    const id = created.body.id as string;
    expect((await call('POST', '/api/v1/surveys', { token: dolisa, body: SURVEY, headers })).body).toEqual({ id, version: 0 });
    expect(await eventCount()).toBe(1);
    const read = await call('GET', `/api/v1/surveys/${id}`, { token: await token('22-PPC', ['22'], ['analyst']) });
    expect(read.body).toMatchObject({
      conductedBy: '22-DOLISA',
      results: [
        { group: 'OFFICIALS', shareAware: 65.5 },
        { group: 'ADULTS', shareAware: 54.1 },
      ],
    });
    expect((await call('GET', `/api/v1/surveys/${crypto.randomUUID()}`, { token: dolisa })).status).toBe(404);
    expect((await call('GET', `/api/v1/surveys/${id}`, { token: await token('22-COMMUNE-06793', ['06793']) })).status).toBe(403);
    expect((await call('GET', `/api/v1/surveys/${id}`)).status).toBe(401);
  });

  it('refuses bad input field by field (400) and broken rules (422), appending nothing', async () => {
    const before = await eventCount();
    const bad = await call('POST', '/api/v1/surveys', {
      token: dolisa,
      body: { ...SURVEY, conductedTo: 'soon', results: [{ group: 'CATS', unitCode: '1', sampleSize: 0, aware: -1 }] },
    });
    expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['conductedTo', 'results.0.group', 'results.0.unitCode', 'results.0.sampleSize', 'results.0.aware']));
    const over = await call('POST', '/api/v1/surveys', {
      token: dolisa,
      body: { ...SURVEY, results: [{ group: 'ADULTS', unitCode: '22', sampleSize: 10, aware: 11 }] },
    });
    expect([over.status, over.body.type]).toEqual([422, expect.stringContaining('aware-exceeds-sample')]);
    const elsewhere = await call('POST', '/api/v1/surveys', {
      token: dolisa,
      body: { ...SURVEY, results: [{ group: 'ADULTS', unitCode: '20', sampleSize: 10, aware: 5 }] },
    });
    expect([elsewhere.status, elsewhere.body.type]).toEqual([422, expect.stringContaining('unit-outside-province')]);
    expect((await call('POST', '/api/v1/surveys', { token: await token('22-COMMUNE-06793', ['06793']), body: SURVEY })).status).toBe(403);
    expect(await eventCount()).toBe(before);
  });
});
