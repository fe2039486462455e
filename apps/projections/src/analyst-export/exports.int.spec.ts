/**
 * The analyst export API over real HTTP against real PostgreSQL: register (201, Location, ETag),
 * read (ETag), a step under If-Match (200, 409 stale, 428 missing), Idempotency-Key replay, bad
 * input field by field, 401 / 403, the list from the read model, and the note never in the clear.
 */
import { findUnguardedHandlers, signDevToken } from '@haidang/auth';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { projectionsPolicy } from '../projections.policy';
import { projectionsMigrations, startProjectionsService, type ProjectionsService } from '../projections-service';

jest.setTimeout(90_000);

type Reply = { status: number; headers: Headers; body: Record<string, unknown> };

describe('exports API', () => {
  let database: TestDatabase;
  let running: ProjectionsService;
  let manager: string;
  const NOTE = 'Gặp tại văn phòng xã, hẹn lại sau hai tuần.';
  const token = (agency: string, units: string[], roles: string[] = ['caseworker']) => signDevToken({ agency, roles: roles as never, units });
  const call = async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${running.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const eventCount = async (id?: string) =>
    Number(
      (
        await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name LIKE $1`, [
          id ? `AnalystExport-${id}` : 'AnalystExport-%',
        ])
      ).rows[0]?.n,
    );
  const registration = (over: Record<string, unknown> = {}) => ({ communeCode: '06793', registeredOn: '2026-08-03', note: NOTE, ...over });
  const register = async (over: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const created = await call('POST', '/api/v1/exports', { token: manager, body: registration(over), headers });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, etag: created.headers.get('etag') ?? '', reply: created };
  };
  const closure = { closedOn: '2026-08-20', outcome: 'RESOLVED' };

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: projectionsMigrations });
    running = await startProjectionsService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '' });
    manager = await token('22-PPC', ['22']);
  });
  afterAll(async () => {
    await running?.stop();
    await database?.drop();
  });

  it('registers with 201, Location and ETag, and reads the record back with the same ETag', async () => {
    const { id, etag, reply } = await register();
    expect(reply.body).toEqual({ id, version: 0 });
    expect(etag).toBe('"0"');
    expect(reply.headers.get('location')).toBe(`/api/v1/exports/${id}`);
    const read = await call('GET', `/api/v1/exports/${id}`, { token: manager });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe(etag);
    expect(read.body).toEqual({
      id,
      version: 0,
      status: 'OPEN',
      communeCode: '06793',
      provinceCode: '22',
      registeredOn: '2026-08-03',
      closedOn: null,
      outcome: null,
    });
    expect((await call('GET', `/api/v1/exports/${crypto.randomUUID()}`, { token: manager })).status).toBe(404);
  });

  it('changes the record under If-Match: 200 and a new ETag, then 409 for the stale one', async () => {
    const { id, etag } = await register();
    const closed = await call('POST', `/api/v1/exports/${id}/closure`, { token: manager, body: closure, headers: { 'if-match': etag } });
    expect(closed.status).toBe(200);
    expect(closed.body).toEqual({ id, version: 1 });
    expect(closed.headers.get('etag')).toBe('"1"');
    const read = await call('GET', `/api/v1/exports/${id}`, { token: manager });
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.body).toMatchObject({ status: 'CLOSED', closedOn: '2026-08-20', outcome: 'RESOLVED' });
    const before = await eventCount(id);
    const stale = await call('POST', `/api/v1/exports/${id}/closure`, { token: manager, body: closure, headers: { 'if-match': etag } });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    expect(await eventCount(id)).toBe(before);
  });

  it('answers a change without If-Match with 428, appending nothing', async () => {
    const { id } = await register();
    const missing = await call('POST', `/api/v1/exports/${id}/closure`, { token: manager, body: closure });
    expect(missing.status).toBe(428);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(await eventCount(id)).toBe(1);
  });

  it('answers a broken rule with 422 in plain words, appending nothing', async () => {
    const { id, etag } = await register();
    const early = await call('POST', `/api/v1/exports/${id}/closure`, {
      token: manager,
      body: { ...closure, closedOn: '2026-08-02' },
      headers: { 'if-match': etag },
    });
    expect(early.status).toBe(422);
    expect(early.headers.get('content-type')).toContain('application/problem+json');
    expect(early.body).toMatchObject({
      type: expect.stringContaining('closed-before-registered'),
      detail: 'a analyst export cannot be closed before the day it was registered',
    });
    expect(await eventCount(id)).toBe(1);
  });

  it('appends nothing when a registration is retried with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'register-0001' };
    const first = await register({}, headers);
    const after = await eventCount();
    const retry = await register({}, headers);
    expect(retry.id).toBe(first.id);
    expect(retry.etag).toBe(first.etag);
    expect(await eventCount()).toBe(after);
    // The same key for another request is not a retry.
    const reused = await call('POST', '/api/v1/exports', { token: manager, body: registration({ note: 'Another note.' }), headers });
    expect(reused.status).toBe(422);
    expect(await eventCount()).toBe(after);
  });

  it('answers bad input with 400 problem+json naming each field, appending nothing', async () => {
    const before = await eventCount();
    const bad = await call('POST', '/api/v1/exports', { token: manager, body: { communeCode: 'x', registeredOn: '2026-02-30', note: 5, extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    for (const field of ['communeCode', 'registeredOn', 'note', 'extra'])
      expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    const { id, etag } = await register();
    const badStep = await call('POST', `/api/v1/exports/${id}/closure`, {
      token: manager,
      body: { closedOn: '20/08/2026', outcome: 'MAYBE' },
      headers: { 'if-match': etag },
    });
    expect(badStep.status).toBe(400);
    for (const field of ['closedOn', 'outcome']) expect(badStep.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    const malformed = await call('POST', '/api/v1/exports', { token: manager, raw: '{"communeCode": "06' });
    expect(malformed.status).toBe(400);
    expect(await eventCount()).toBe(before + 1);
  });

  it('answers 401 without a token and 403 to another agency or outside the jurisdiction', async () => {
    const { id, etag } = await register();
    expect((await call('GET', `/api/v1/exports/${id}`)).status).toBe(401);
    expect((await call('POST', '/api/v1/exports', { body: registration() })).status).toBe(401);
    const otherAgency = await token('22-POLICE', ['22']);
    expect((await call('GET', `/api/v1/exports/${id}`, { token: otherAgency })).status).toBe(403);
    expect((await call('POST', '/api/v1/exports', { token: otherAgency, body: registration() })).status).toBe(403);
    const elsewhere = await token('20-PPC', ['20']);
    expect((await call('GET', `/api/v1/exports/${id}`, { token: elsewhere })).status).toBe(403);
    expect((await call('POST', `/api/v1/exports/${id}/closure`, { token: elsewhere, body: closure, headers: { 'if-match': etag } })).status).toBe(403);
    const before = await eventCount();
    const outOfScope = await call('POST', '/api/v1/exports', { token: manager, body: registration({ communeCode: '05977' }) });
    expect(outOfScope.status).toBe(403);
    expect(outOfScope.headers.get('content-type')).toContain('application/problem+json');
    expect(await eventCount()).toBe(before);
    expect(findUnguardedHandlers(running.service.app, { policy: projectionsPolicy })).toEqual([]);
  });

  it('lists the record from the read model, within the caller’s scope only', async () => {
    const { id } = await register({ registeredOn: '2026-08-05' });
    // The list lags the events by the projection: poll until it shows the record (jest's timeout bounds it).
    let items: Record<string, unknown>[] = [];
    while (!items.some((item) => item.id === id)) {
      const listed = await call('GET', `/api/v1/exports?communeCode=06793&status=OPEN`, { token: manager });
      expect([200, 503]).toContain(listed.status);
      items = listed.status === 200 ? (listed.body.items as Record<string, unknown>[]) : [];
      if (!items.some((item) => item.id === id)) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(items.find((item) => item.id === id)).toEqual({
      id,
      communeCode: '06793',
      provinceCode: '22',
      status: 'OPEN',
      registeredOn: '2026-08-05',
      closedOn: null,
      outcome: null,
      version: 0,
    });
    const elsewhere = await call('GET', '/api/v1/exports', { token: await token('20-PPC', ['20']) });
    expect(elsewhere.status).toBe(200);
    expect((elsewhere.body.items as Record<string, unknown>[]).some((item) => item.id === id)).toBe(false);
    expect((await call('GET', '/api/v1/exports?communeCode=05977', { token: manager })).status).toBe(403);
  });

  it('keeps the note out of the event log in the clear', async () => {
    await register();
    const { rows } = await database.pool.query<{ data: string }>(`SELECT data::text AS data FROM es_events WHERE stream_name LIKE 'AnalystExport-%'`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.data).not.toContain('văn phòng');
      expect(row.data).not.toContain('Another note');
    }
  });
});
