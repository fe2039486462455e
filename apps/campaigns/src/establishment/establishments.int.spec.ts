/**
 * The register of zones and schools, and trainings, over real HTTP and PostgreSQL: register (201,
 * ETag), close under If-Match (409 stale, 428 missing, 422), an activity must name a registered
 * open zone of its venue's kind, 400 field by field, 401/403/404, Idempotency-Key.
 */
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { campaignsMigrations, startCampaignsService, type CampaignsService } from '../campaigns-service';
import { fieldsOf, httpClient, MEETING } from '../campaigns.test-fixtures';

jest.setTimeout(90_000);

const ZONE = { kind: 'INDUSTRIAL_ZONE', name: 'KCN Cái Lân', communeCode: '06673', openedOn: '2010-01-01' };
const SCHOOL = { kind: 'SCHOOL', schoolLevel: 'UPPER_SECONDARY', name: 'Trường THPT Cẩm Phả', communeCode: '06793', openedOn: '1980-09-05' };

describe('establishments and trainings API', () => {
  let database: TestDatabase;
  let running: CampaignsService;
  const { call, token } = httpClient(() => running.url);
  let dolisa: string;
  const eventCount = async (prefix: string) =>
    Number((await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name LIKE $1`, [`${prefix}-%`])).rows[0]?.n);

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: campaignsMigrations });
    running = await startCampaignsService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '' });
    dolisa = await token('22-DOLISA', ['22']);
  });
  afterAll(async () => {
    await running?.stop();
    await database?.drop();
  });

  it('registers a zone and a school, reads them, closes under If-Match', async () => {
    const zone = await call('POST', '/api/v1/establishments', { token: dolisa, body: ZONE, headers: { 'idempotency-key': 'zone-cai-lan' } });
    expect(zone.status).toBe(201);
    expect(zone.headers.get('location')).toBe(`/api/v1/establishments/${zone.body.id as string}`);
    expect((await call('POST', '/api/v1/establishments', { token: dolisa, body: ZONE, headers: { 'idempotency-key': 'zone-cai-lan' } })).body).toEqual(
      zone.body,
    );
    const school = await call('POST', '/api/v1/establishments', { token: dolisa, body: SCHOOL });
    expect(school.status).toBe(201);
    const commune = await token('22-COMMUNE-06793', ['06793']);
    expect((await call('GET', `/api/v1/establishments/${school.body.id as string}`, { token: commune })).body).toMatchObject({
      kind: 'SCHOOL',
      schoolLevel: 'UPPER_SECONDARY',
      status: 'OPEN',
    });
    expect((await call('GET', `/api/v1/establishments/${zone.body.id as string}`, { token: commune })).status).toBe(403);
    const id = zone.body.id as string;
    const closed = await call('POST', `/api/v1/establishments/${id}/closure`, {
      token: dolisa,
      body: { closedOn: '2022-12-01' },
      headers: { 'if-match': '"0"' },
    });
    expect(closed.status).toBe(200);
    expect(closed.headers.get('etag')).toBe('"1"');
    const before = await eventCount('Establishment');
    expect(
      (await call('POST', `/api/v1/establishments/${id}/closure`, { token: dolisa, body: { closedOn: '2022-12-02' }, headers: { 'if-match': '"0"' } })).status,
    ).toBe(409);
    expect((await call('POST', `/api/v1/establishments/${id}/closure`, { token: dolisa, body: { closedOn: '2022-12-02' } })).status).toBe(428);
    expect(
      (await call('POST', `/api/v1/establishments/${id}/closure`, { token: dolisa, body: { closedOn: '2022-12-02' }, headers: { 'if-match': '"1"' } })).status,
    ).toBe(422);
    expect(await eventCount('Establishment')).toBe(before);
    expect((await call('GET', `/api/v1/establishments/${crypto.randomUUID()}`, { token: dolisa })).status).toBe(404);
  });

  it('lets an activity in a zone count only when it names a registered zone of that kind, open on the day', async () => {
    const zone = await call('POST', '/api/v1/establishments', { token: dolisa, body: { ...ZONE, name: 'KCN Việt Hưng', communeCode: '06661' } });
    const school = await call('POST', '/api/v1/establishments', { token: dolisa, body: { ...SCHOOL, name: 'Trường THPT Hòn Gai', communeCode: '06685' } });
    const inZone = { ...MEETING, communeCodes: ['06661'], venueType: 'INDUSTRIAL_ZONE', audienceType: 'WORKERS' };
    expect((await call('POST', '/api/v1/activities', { token: dolisa, body: { ...inZone, establishmentIds: [zone.body.id] } })).status).toBe(201);
    const before = await eventCount('Activity');
    const cases: Array<[Record<string, unknown>, string]> = [
      [inZone, 'establishment-venue-mismatch'],
      [{ ...inZone, establishmentIds: [school.body.id] }, 'establishment-venue-mismatch'],
      [{ ...inZone, establishmentIds: [crypto.randomUUID()] }, 'unknown-establishment'],
      [{ ...MEETING, communeCodes: ['06661'], establishmentIds: [zone.body.id] }, 'establishment-venue-mismatch'],
    ];
    for (const [body, code] of cases) {
      const reply = await call('POST', '/api/v1/activities', { token: dolisa, body });
      expect([reply.status, reply.body.type]).toEqual([422, expect.stringContaining(code)]);
    }
    expect(await eventCount('Activity')).toBe(before);
  });

  it('answers bad input with 400 naming each field, and 401/403', async () => {
    const bad = await call('POST', '/api/v1/establishments', {
      token: dolisa,
      body: { kind: 'MINE', schoolLevel: 'PHD', name: '', communeCode: 'x', openedOn: 'then' },
    });
    expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['kind', 'schoolLevel', 'name', 'communeCode', 'openedOn']));
    const noLevel = await call('POST', '/api/v1/establishments', { token: dolisa, body: { ...SCHOOL, schoolLevel: null } });
    expect([noLevel.status, noLevel.body.type]).toEqual([422, expect.stringContaining('school-level')]);
    expect((await call('POST', '/api/v1/establishments', { body: ZONE })).status).toBe(401);
    expect((await call('POST', '/api/v1/establishments', { token: await token('22-COMMUNE-06673', ['06673']), body: ZONE })).status).toBe(403);
    expect((await call('POST', '/api/v1/establishments', { token: await token('20-DOLISA', ['20']), body: ZONE })).status).toBe(403);
  });

  it('records a training as counts by group, once under its key; refuses bad input and other agencies', async () => {
    const body = { heldOn: '2022-08-10', topic: 'Quản lý sau cai nghiện', participants: [{ group: 'REHAB_STAFF', count: 46 }] };
    const headers = { 'idempotency-key': 'training-2022-08' };
    const created = await call('POST', '/api/v1/trainings', { token: dolisa, body, headers });
    expect(created.status).toBe(201);
    expect((await call('POST', '/api/v1/trainings', { token: dolisa, body, headers })).body).toEqual(created.body);
    expect(await eventCount('Training')).toBe(1);
    const read = await call('GET', `/api/v1/trainings/${created.body.id as string}`, { token: await token('22-PPC', ['22'], ['analyst']) });
    expect(read.body).toMatchObject({ organiser: '22-DOLISA', participants: [{ group: 'REHAB_STAFF', count: 46 }] });
    const bad = await call('POST', '/api/v1/trainings', { token: dolisa, body: { heldOn: 'x', topic: '', participants: [{ group: 'X', count: 0 }] } });
    expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['heldOn', 'topic', 'participants.0.group', 'participants.0.count']));
    const late = await call('POST', '/api/v1/trainings', { token: dolisa, body: { ...body, heldOn: '2026-03-01' } });
    expect([late.status, late.body.type]).toEqual([422, expect.stringContaining('agency-not-holder')]);
    expect((await call('POST', '/api/v1/trainings', { token: await token('22-COMMUNE-06793', ['06793']), body })).status).toBe(403);
    expect((await call('GET', `/api/v1/trainings/${crypto.randomUUID()}`, { token: dolisa })).status).toBe(404);
    expect(await eventCount('Training')).toBe(1);
  });
});
