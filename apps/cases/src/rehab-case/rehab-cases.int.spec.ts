/**
 * The rehab-case API over real HTTP against real PostgreSQL: the whole lifecycle under both laws,
 * broken rules as 422 in plain words, If-Match (428 / 409), idempotent retries, bad input, history
 * and scope.
 */
import { findUnguardedHandlers, signDevToken } from '@haidang/auth';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { casesPolicy } from '../cases.policy';
import { casesMigrations, startCasesService, type CasesService } from '../cases-service';

jest.setTimeout(90_000);

type Reply = { status: number; headers: Headers; body: Record<string, unknown> };

describe('rehab cases API', () => {
  let database: TestDatabase;
  let cases: CasesService;
  let commune: string;
  let personId: string;
  const token = (agency: string, roles: string[], units: string[]) => signDevToken({ agency, roles: roles as never, units });
  const call = async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${cases.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const eventCount = async (caseId?: string) =>
    Number(
      (
        await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name LIKE $1`, [
          caseId ? `RehabCase-${caseId}` : 'RehabCase-%',
        ])
      ).rows[0]?.n,
    );
  const registration = (decisionDate: string, over: Record<string, unknown> = {}) => ({
    personId,
    source: 'SELF_DECLARATION',
    form: 'VOLUNTARY_COMMUNITY',
    legalBasis: { decisionNo: '15/QĐ-UBND', decisionDate, issuedBy: 'COMMUNE_CHAIR' },
    termMonths: 6,
    ...over,
  });
  /** A step on the case with the current ETag; returns the reply. */
  const step = async (id: string, route: string, body: unknown, etag: string, headers: Record<string, string> = {}) =>
    call('POST', `/api/v1/rehab-cases/${id}/${route}`, { token: commune, body, headers: { 'if-match': etag, ...headers } });
  const register = async (decisionDate: string, over: Record<string, unknown> = {}) => {
    const created = await call('POST', '/api/v1/rehab-cases', { token: commune, body: registration(decisionDate, over) });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, etag: created.headers.get('etag') ?? '' };
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent' });
    commune = await token('22-COMMUNE-06793', ['caseworker'], ['06793']);
    const person = await call('POST', '/api/v1/persons', {
      token: commune,
      body: {
        fullName: 'Nguyễn Văn An',
        dateOfBirth: '1990-05-17',
        sex: 'MALE',
        residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 3, khu 5' },
      },
    });
    expect(person.status).toBe(201);
    personId = person.body.id as string;
  });
  afterAll(async () => {
    await cases?.stop();
    await database?.drop();
  });

  const lifecycles = [
    {
      law: 'Law 73/2021/QH14 (decision in 2022)',
      regime: 'LAW_73_2021_QH14',
      decisionDate: '2022-03-10',
      steps: [
        ['addiction-determination', { determinedOn: '2022-03-11', facilityId: 'QN-TTYT-HL', result: 'ADDICTED' }],
        ['start', { startedOn: '2022-03-15' }],
        ['progress-notes', { notedOn: '2022-04-01', note: 'Attended all counselling sessions.' }],
        ['completion', { completedOn: '2022-09-15' }],
        [
          'post-rehab-management',
          { legalBasis: { decisionNo: '88/QĐ-UBND', decisionDate: '2022-09-20', issuedBy: 'COMMUNE_CHAIR' }, startedOn: '2022-09-20', termMonths: 12 },
        ],
      ],
    },
    {
      law: 'Law 120/2025/QH15 (decision in 2026-08)',
      regime: 'LAW_120_2025_QH15',
      decisionDate: '2026-08-03',
      steps: [
        ['addiction-determination', { determinedOn: '2026-08-04', facilityId: 'QN-TTYT-HL', result: 'ADDICTED' }],
        ['start', { startedOn: '2026-08-05' }],
        ['progress-notes', { notedOn: '2026-09-01', note: 'Attended all counselling sessions.' }],
        // Half of the six months served: the term is cut by three so it ends before today.
        ['term-reduction', { months: 3, legalBasis: { decisionNo: '41/QĐ-UBND', decisionDate: '2026-11-05', issuedBy: 'COMMUNE_CHAIR' } }],
        ['completion', { completedOn: '2026-11-05' }],
        [
          'post-rehab-management',
          { legalBasis: { decisionNo: '88/QĐ-UBND', decisionDate: '2026-11-06', issuedBy: 'COMMUNE_CHAIR' }, startedOn: '2026-11-06', termMonths: 12 },
        ],
      ],
    },
  ] as const;

  it.each(lifecycles)('walks a case from registration to post-rehab management under $law', async ({ regime, decisionDate, steps }) => {
    const created = await call('POST', '/api/v1/rehab-cases', { token: commune, body: registration(decisionDate) });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toEqual({ id, version: 1 });
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/api/v1/rehab-cases/${id}`);
    let etag = created.headers.get('etag') ?? '';
    for (const [route, body] of steps) {
      const reply = await step(id, route, body, etag);
      expect({ route, status: reply.status, body: reply.body }).toMatchObject({ route, status: 200 });
      expect(reply.headers.get('etag')).not.toBe(etag);
      etag = reply.headers.get('etag') ?? '';
    }
    const read = await call('GET', `/api/v1/rehab-cases/${id}`, { token: commune });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe(etag);
    expect(read.body).toMatchObject({
      id,
      status: 'POST_REHAB_MANAGEMENT',
      form: 'VOLUNTARY_COMMUNITY',
      regime,
      addiction: 'ADDICTED',
      postRehab: { regime, termMonths: 12 },
    });
    expect(await eventCount(id)).toBe(steps.length + 2);
  });

  it('refuses post-rehab management before completion with 422 in plain words, appending nothing', async () => {
    const { id, etag } = await register('2026-08-03');
    const before = await eventCount(id);
    const reply = await step(
      id,
      'post-rehab-management',
      { legalBasis: { decisionNo: '88/QĐ-UBND', decisionDate: '2026-08-04', issuedBy: 'COMMUNE_CHAIR' }, startedOn: '2026-08-04', termMonths: 12 },
      etag,
    );
    expect(reply.status).toBe(422);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(reply.body.detail).toBe('post-rehab management cannot start before rehab is completed');
    expect(await eventCount(id)).toBe(before);
  });

  it('refuses a compulsory form at registration (no addiction determination yet) with 422', async () => {
    const facility = await token('22-REHAB_FACILITY', ['caseworker'], ['22']);
    const before = await eventCount();
    const reply = await call('POST', '/api/v1/rehab-cases', {
      token: facility,
      body: registration('2026-08-03', {
        form: 'COMPULSORY_FACILITY',
        termMonths: 12,
        facilityId: 'QN-CSCN-01',
        legalBasis: { decisionNo: '07/QĐ-TA', decisionDate: '2026-08-03', issuedBy: 'COURT' },
      }),
    });
    expect(reply.status).toBe(422);
    expect(reply.body.detail).toBe('compulsory rehab needs a prior determination that the person is addicted');
    expect(await eventCount()).toBe(before);
  });

  it('answers a stale If-Match with 409 and a missing one with 428, appending nothing', async () => {
    const { id } = await register('2026-08-03');
    const before = await eventCount(id);
    const stale = await step(id, 'start', { startedOn: '2026-08-05' }, '"0"');
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    const ahead = await step(id, 'start', { startedOn: '2026-08-05' }, '"9"');
    expect(ahead.status).toBe(409);
    const missing = await call('POST', `/api/v1/rehab-cases/${id}/start`, { token: commune, body: { startedOn: '2026-08-05' } });
    expect(missing.status).toBe(428);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(await eventCount(id)).toBe(before);
  });

  it('appends a progress note once when the request is retried with the same Idempotency-Key', async () => {
    const { id, etag } = await register('2026-08-03');
    const started = await step(id, 'start', { startedOn: '2026-08-05' }, etag);
    const note = { notedOn: '2026-09-01', note: 'Attended all counselling sessions.' };
    const headers = { 'idempotency-key': 'progress-note-0001' };
    const first = await step(id, 'progress-notes', note, started.headers.get('etag') ?? '', headers);
    expect(first.status).toBe(200);
    const after = await eventCount(id);
    const retry = await step(id, 'progress-notes', note, started.headers.get('etag') ?? '', headers);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await eventCount(id)).toBe(after);
    // The same key for another note is not a retry.
    const reused = await step(id, 'progress-notes', { ...note, note: 'Another note.' }, started.headers.get('etag') ?? '', headers);
    expect(reused.status).toBe(422);
    expect(await eventCount(id)).toBe(after);
  });

  it.each([
    ['an unknown field', 'start', JSON.stringify({ startedOn: '2026-08-05', extra: 1 }), 'extra'],
    ['a wrong type', 'start', JSON.stringify({ startedOn: 20260805 }), 'startedOn'],
    ['a date that does not exist', 'start', JSON.stringify({ startedOn: '2026-02-30' }), 'startedOn'],
    [
      'a bad nested date',
      'term-reduction',
      JSON.stringify({ months: 3, legalBasis: { decisionNo: '41/QĐ-UBND', decisionDate: '05/11/2026', issuedBy: 'COMMUNE_CHAIR' } }),
      'legalBasis.decisionDate',
    ],
    ['malformed JSON', 'start', '{"startedOn": "2026-', undefined],
  ])('answers %s with 400 problem+json naming the field, appending nothing', async (_label, route, raw, field) => {
    const { id, etag } = await register('2026-08-03');
    const before = await eventCount();
    const reply = await call('POST', `/api/v1/rehab-cases/${id}/${route}`, { token: commune, raw, headers: { 'if-match': etag } });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    if (field) expect(reply.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await eventCount()).toBe(before);
  });

  it('answers bad registration input with 400 naming the fields, appending nothing', async () => {
    const before = await eventCount();
    const reply = await call('POST', '/api/v1/rehab-cases', { token: commune, body: { ...registration('2026-08-03'), personId: 'nope', religion: 'x' } });
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'personId' }), expect.objectContaining({ field: 'religion' })]));
    expect(await eventCount()).toBe(before);
    expect(
      (await call('POST', '/api/v1/rehab-cases', { token: commune, body: registration('2026-08-03', { personId: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d99' }) }))
        .status,
    ).toBe(404);
  });

  it('shows who did what, when and under which decision, without the note text', async () => {
    const { id, etag } = await register('2022-03-10');
    const started = await step(id, 'start', { startedOn: '2022-03-15' }, etag);
    await step(id, 'progress-notes', { notedOn: '2022-04-01', note: 'Private health remark.' }, started.headers.get('etag') ?? '');
    const police = await token('22-POLICE', ['caseworker'], ['22']);
    const history = await call('GET', `/api/v1/rehab-cases/${id}/history`, { token: police });
    expect(history.status).toBe(200);
    const items = history.body.items as Record<string, unknown>[];
    expect(items.map((i) => i.type)).toEqual(['RehabCaseRegistered', 'RehabFormDecided', 'RehabStarted', 'ProgressNoted']);
    expect(items[1]).toMatchObject({
      version: 1,
      agency: '22-COMMUNE-06793',
      actor: expect.any(String),
      recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      legalBasis: { decisionNo: '15/QĐ-UBND', decisionDate: '2022-03-10', issuedBy: 'COMMUNE_CHAIR' },
      regime: 'LAW_73_2021_QH14',
    });
    expect(JSON.stringify(history.body)).not.toContain('Private health');
    expect(JSON.stringify(history.body)).not.toContain('Nguy');
    // The note may be health data: it is encrypted with the person's key in the event itself.
    const { rows } = await database.pool.query<{ data: string }>(
      `SELECT data::text AS data FROM es_events WHERE stream_name = $1 AND event_type = 'ProgressNoted'`,
      [`RehabCase-${id}`],
    );
    expect(rows[0]?.data).not.toContain('Private health');
    expect(rows[0]?.data).toMatch(/"note":"pii:v1:/);
  });

  it('scopes by the person’s commune and the form: another commune 403, the facility 403 on a community case, the PPC 403', async () => {
    const neighbour = await token('22-COMMUNE-06778', ['caseworker'], ['06778']);
    const before = await eventCount();
    expect((await call('POST', '/api/v1/rehab-cases', { token: neighbour, body: registration('2026-08-03') })).status).toBe(403);
    expect(await eventCount()).toBe(before);
    const { id, etag } = await register('2026-08-03');
    expect((await call('GET', `/api/v1/rehab-cases/${id}`, { token: neighbour })).status).toBe(403);
    expect((await call('GET', `/api/v1/rehab-cases/${id}/history`, { token: neighbour })).status).toBe(403);
    expect(
      (await call('POST', `/api/v1/rehab-cases/${id}/start`, { token: neighbour, body: { startedOn: '2026-08-05' }, headers: { 'if-match': etag } })).status,
    ).toBe(403);
    const facility = await token('22-REHAB_FACILITY', ['caseworker'], ['22']);
    expect(
      (await call('POST', `/api/v1/rehab-cases/${id}/start`, { token: facility, body: { startedOn: '2026-08-05' }, headers: { 'if-match': etag } })).status,
    ).toBe(403);
    expect((await call('GET', `/api/v1/rehab-cases/${id}`, { token: facility })).status).toBe(200);
    const ppc = await token('22-PPC', ['analyst', 'supervisor'], ['22']);
    expect((await call('GET', `/api/v1/rehab-cases/${id}`, { token: ppc })).status).toBe(403);
    expect((await call('GET', `/api/v1/rehab-cases/${id}`, { token: await token('22-POLICE', ['caseworker'], ['22']) })).status).toBe(200);
    expect(
      (
        await call('POST', `/api/v1/rehab-cases/${id}/start`, {
          token: await token('22-POLICE', ['caseworker'], ['22']),
          body: { startedOn: '2026-08-05' },
          headers: { 'if-match': etag },
        })
      ).status,
    ).toBe(403);
    expect(await eventCount(id)).toBe(2);
  });

  it('lets the provincial facility register and manage a facility stay, which the commune cannot manage', async () => {
    const facility = await token('22-REHAB_FACILITY', ['caseworker'], ['22']);
    const body = registration('2026-08-03', {
      form: 'VOLUNTARY_FACILITY',
      facilityId: 'QN-CSCN-01',
      legalBasis: { decisionNo: '12/QĐ-CSCN', decisionDate: '2026-08-03', issuedBy: 'FACILITY_DIRECTOR' },
    });
    expect((await call('POST', '/api/v1/rehab-cases', { token: commune, body })).status).toBe(403);
    const created = await call('POST', '/api/v1/rehab-cases', { token: facility, body });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const etag = created.headers.get('etag') ?? '';
    expect(
      (await call('POST', `/api/v1/rehab-cases/${id}/start`, { token: commune, body: { startedOn: '2026-08-05' }, headers: { 'if-match': etag } })).status,
    ).toBe(403);
    const started = await call('POST', `/api/v1/rehab-cases/${id}/start`, {
      token: facility,
      body: { startedOn: '2026-08-05' },
      headers: { 'if-match': etag },
    });
    expect(started.status).toBe(200);
    expect(started.headers.get('etag')).toBe('"2"');
    expect((await call('GET', `/api/v1/rehab-cases/${id}`, { token: commune })).body).toMatchObject({
      status: 'IN_REHAB',
      form: 'VOLUNTARY_FACILITY',
      regime: 'LAW_120_2025_QH15',
    });
  });

  it('documents the rehab-case routes with examples', async () => {
    const doc = (await (await fetch(`${cases.url}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties: Record<string, { example?: unknown }> }> };
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/rehab-cases',
        '/api/v1/rehab-cases/{id}',
        '/api/v1/rehab-cases/{id}/history',
        '/api/v1/rehab-cases/{id}/post-rehab-management',
        '/api/v1/rehab-cases/{id}/closure',
      ]),
    );
    expect(doc.components.schemas.RegisterRehabCaseRequestDto?.properties.form?.example).toBe('VOLUNTARY_COMMUNITY');
    expect(JSON.stringify(doc.paths['/api/v1/rehab-cases'])).toContain('compulsory');
  });

  it('has a policy on every route', () => {
    expect(findUnguardedHandlers(cases.service.app, { policy: casesPolicy })).toEqual([]);
  });
});
