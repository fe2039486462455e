/**
 * The persons API over real HTTP against real PostgreSQL: registration with duplicates, validation,
 * identity and scope, idempotency, optimistic concurrency on erasure, and every route under policy.
 */
import { findUnguardedHandlers, signDevToken } from '@haidang/auth';
import { readAccessLog } from '@haidang/audit';
import { createTestDatabase, type TestDatabase, waitFor } from '@haidang/testing';
import { casesPolicy } from '../cases.policy';
import { casesMigrations, startCasesService, type CasesService } from '../cases-service';

jest.setTimeout(90_000);

describe('persons API', () => {
  let database: TestDatabase;
  let cases: CasesService;
  let commune: string;
  const token = (agency: string, roles: string[], units: string[]) => signDevToken({ agency, roles: roles as never, units });
  const call = async (method: string, path: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${cases.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const eventCount = async () =>
    Number((await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name LIKE 'Person-%'`)).rows[0]?.n);
  const an = (over: Record<string, unknown> = {}) => ({
    fullName: 'Nguyễn Văn An',
    personalId: '022090001234',
    dateOfBirth: '1990-05-17',
    sex: 'MALE',
    residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 3, khu 5' },
    ...over,
  });

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent' });
    commune = await token('22-COMMUNE-06793', ['caseworker'], ['06793']);
  });
  afterAll(async () => {
    await cases?.stop();
    await database?.drop();
  });

  it('registers a person (201, ETag, Location) and returns possible duplicates ignoring diacritics, birth year ±1', async () => {
    const first = await call('POST', '/api/v1/persons', { token: commune, body: an() });
    expect(first.status).toBe(201);
    expect(first.headers.get('etag')).toBe('"0"');
    expect(first.headers.get('location')).toBe(`/api/v1/persons/${first.body.id as string}`);
    expect(first.body).toMatchObject({ version: 0, possibleDuplicates: [] });
    // The read model is eventually consistent: wait until search finds the first person.
    await waitFor(async () => (await call('GET', '/api/v1/persons?idNumber=022090001234', { token: commune })).body.total === 1);
    const second = await call('POST', '/api/v1/persons', {
      token: commune,
      body: an({ fullName: 'Nguyen Van An', dateOfBirth: '1991-02-01', personalId: undefined }),
    });
    expect(second.status).toBe(201);
    expect(second.body.possibleDuplicates).toEqual([{ personId: first.body.id, reasons: ['same-name-close-birth-year'] }]);
    await waitFor(async () => (await call('GET', '/api/v1/persons?q=NGUYEN%20VAN%20AN', { token: commune })).body.total === 2);
    const search = await call('GET', '/api/v1/persons?q=NGUYEN%20VAN%20AN', { token: commune });
    expect(search.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: first.body.id, fullName: 'Nguyễn Văn An' })]));
    // Past the last page: no items (nothing revealed), and still the true total.
    const beyond = await call('GET', '/api/v1/persons?q=NGUYEN%20VAN%20AN&page=3', { token: commune });
    expect(beyond.body).toMatchObject({ page: 3, total: 2, items: [] });
  });

  it('keeps personal data out of the event log in the clear', async () => {
    const { rows } = await database.pool.query<{ data: string }>(`SELECT data::text AS data FROM es_events WHERE stream_name LIKE 'Person-%'`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.data).not.toContain('Nguy');
      expect(row.data).not.toContain('022090001234');
    }
  });

  it('refuses a personal ID that disagrees with the birth year with 400 naming personalId, appending nothing', async () => {
    const before = await eventCount();
    const response = await call('POST', '/api/v1/persons', { token: commune, body: an({ personalId: '022091001234' }) });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'personalId' })]);
    expect(await eventCount()).toBe(before);
  });

  it.each([
    ['another province', '20', 'residence.provinceCode'],
    ['a province that does not exist', '99', 'residence.provinceCode'],
  ])('refuses a residence in %s (the commune decides the province) with 400 naming the field, appending nothing', async (_label, provinceCode, field) => {
    const before = await eventCount();
    const response = await call('POST', '/api/v1/persons', {
      token: commune,
      body: an({ residence: { provinceCode, communeCode: '06793', address: 'Tổ 3, khu 5' } }),
    });
    expect([response.status, response.body.errors]).toEqual([400, [expect.objectContaining({ field })]]);
    expect(await eventCount()).toBe(before);
  });

  it.each([
    ['an unknown field', { raw: JSON.stringify({ ...an(), religion: 'x' }) }],
    ['a wrong type', { raw: JSON.stringify({ ...an(), dateOfBirth: 19900517 }) }],
    ['malformed JSON', { raw: '{"fullName": "Nguy' }],
    ['a missing residence', { raw: JSON.stringify({ ...an(), residence: undefined }) }],
  ])('answers %s with 400 problem+json and appends nothing', async (_label, input) => {
    const before = await eventCount();
    const response = await call('POST', '/api/v1/persons', { token: commune, raw: input.raw });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(response.body)).not.toContain('Nguy');
    expect(await eventCount()).toBe(before);
  });

  it('refuses without a token (401), another commune (403), the PPC (403)', async () => {
    expect((await call('POST', '/api/v1/persons', { body: an() })).status).toBe(401);
    const neighbour = await token('22-COMMUNE-06778', ['caseworker'], ['06778']);
    expect((await call('POST', '/api/v1/persons', { token: neighbour, body: an() })).status).toBe(403);
    const registered = await call('POST', '/api/v1/persons', { token: commune, body: an({ fullName: 'Trần Thị Bình', personalId: undefined, sex: 'FEMALE' }) });
    const read = await call('GET', `/api/v1/persons/${registered.body.id as string}`, { token: neighbour });
    expect(read.status).toBe(403);
    expect(JSON.stringify(read.body)).not.toContain('Bình');
    expect(
      (await call('GET', `/api/v1/persons/${registered.body.id as string}`, { token: await token('22-PPC', ['analyst', 'supervisor'], ['22']) })).status,
    ).toBe(403);
    expect((await call('GET', `/api/v1/persons/${registered.body.id as string}`, { token: await token('22-POLICE', ['caseworker'], ['22']) })).status).toBe(
      200,
    );
  });

  it('answers a retry with the same Idempotency-Key with the same id, appending nothing; another body with that key is 422', async () => {
    const headers = { 'idempotency-key': 'register-le-van-cuong-1' };
    const body = an({ fullName: 'Lê Văn Cường', personalId: undefined });
    const first = await call('POST', '/api/v1/persons', { token: commune, body, headers });
    expect(first.status).toBe(201);
    const before = await eventCount();
    const retry = await call('POST', '/api/v1/persons', { token: commune, body, headers });
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(await eventCount()).toBe(before);
    const reused = await call('POST', '/api/v1/persons', { token: commune, body: { ...body, fullName: 'Lê Văn Khác' }, headers });
    expect(reused.status).toBe(422);
    expect(await eventCount()).toBe(before);
  });

  it('erases: 428 without If-Match, 409 when stale, then reads show [erased]', async () => {
    const created = await call('POST', '/api/v1/persons', {
      token: commune,
      body: an({ fullName: 'Phạm Văn Dũng', personalId: '022085004321', dateOfBirth: '1985-01-02' }),
    });
    const id = created.body.id as string;
    const dp = await token('22-POLICE', ['data-protection'], ['22']);
    const path = `/api/v1/persons/${id}/erasure`;
    expect((await call('POST', path, { token: commune, body: { reference: 'DP-2026-004' }, headers: { 'if-match': '"0"' } })).status).toBe(403);
    // DOLISA was dissolved on 2025-03-01: erasure is now the act of the provincial police, which hold drug-rehab state management.
    const dolisa = await token('22-DOLISA', ['data-protection'], ['22']);
    expect((await call('POST', path, { token: dolisa, body: { reference: 'DP-2026-004' }, headers: { 'if-match': '"0"' } })).status).toBe(403);
    const missing = await call('POST', path, { token: dp, body: { reference: 'DP-2026-004' } });
    expect(missing.status).toBe(428);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect((await call('POST', path, { token: dp, body: { reference: 'DP-2026-004' }, headers: { 'if-match': '"7"' } })).status).toBe(409);
    const shown = await call('GET', `/api/v1/persons/${id}`, { token: commune });
    expect(shown.body.fullName).toBe('Phạm Văn Dũng');
    const erased = await call('POST', path, { token: dp, body: { reference: 'DP-2026-004' }, headers: { 'if-match': shown.headers.get('etag') ?? '' } });
    expect(erased.status).toBe(200);
    expect(erased.headers.get('etag')).toBe('"1"');
    const read = await call('GET', `/api/v1/persons/${id}`, { token: commune });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.body).toMatchObject({
      erased: true,
      fullName: '[erased]',
      personalId: '[erased]',
      dateOfBirth: '[erased]',
      residence: { communeCode: '06793', address: '[erased]' },
    });
    await waitFor(async () => (await call('GET', '/api/v1/persons?idNumber=022085004321', { token: commune })).body.total === 0);
  });

  it('records each read of a person as an access event', async () => {
    const created = await call('POST', '/api/v1/persons', { token: commune, body: an({ fullName: 'Hoàng Văn Em', personalId: undefined }) });
    await call('GET', `/api/v1/persons/${created.body.id as string}`, { token: commune });
    const log = await readAccessLog(cases.store, created.body.id as string);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: 'read', purpose: 'case-review' });
  });

  it('refuses a huge body with 413 problem+json, appending nothing', async () => {
    const before = await eventCount();
    const response = await call('POST', '/api/v1/persons', { token: commune, raw: JSON.stringify(an({ fullName: 'A'.repeat(400_000) })) });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await eventCount()).toBe(before);
  });

  it('scopes search: another commune’s code is 403, and a neighbour’s search finds nothing of ours', async () => {
    expect((await call('GET', '/api/v1/persons?communeCode=06778', { token: commune })).status).toBe(403);
    const neighbour = await token('22-COMMUNE-06778', ['caseworker'], ['06778']);
    const found = await call('GET', '/api/v1/persons?q=Nguyen%20Van%20An', { token: neighbour });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ total: 0, items: [] });
    expect((await call('GET', '/api/v1/persons?idNumber=12', { token: commune })).body.errors).toEqual([expect.objectContaining({ field: 'idNumber' })]);
  });

  it('documents the persons routes with examples at /api/openapi.json', async () => {
    const doc = (await (await fetch(`${cases.url}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties: Record<string, { example?: unknown }> }> };
    };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/persons', '/api/v1/persons/{id}', '/api/v1/persons/{id}/erasure']));
    expect(doc.components.schemas.RegisterPersonRequestDto?.properties.fullName?.example).toBe('Nguyễn Văn An');
  });

  it('has a policy on every route', () => {
    expect(findUnguardedHandlers(cases.service.app, { policy: casesPolicy })).toEqual([]);
  });
});
