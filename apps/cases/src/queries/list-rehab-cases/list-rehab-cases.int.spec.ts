/**
 * The rehab-cases read model and the deadlines list over real HTTP against real PostgreSQL: filters,
 * scope, pagination, and the due dates computed from the projected dates. Reads lag the events, so
 * each test waits by polling the list route until the projection has caught up.
 */
import { DataSource } from 'typeorm';
import { findUnguardedHandlers, signDevToken } from '@haidang/auth';
import { activeVersion, projectionEntities, rebuildProjection } from '@haidang/projections';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { casesPolicy } from '../../cases.policy';
import { casesMigrations, startCasesService, type CasesService } from '../../cases-service';
import { defineRehabCasesProjection, rehabCasesProjection } from '../../projections/rehab-cases/rehab-cases.projection';

jest.setTimeout(120_000);

type Reply = { status: number; headers: Headers; body: Record<string, unknown> };
type Item = Record<string, unknown>;

describe('rehab-cases list and deadlines', () => {
  let database: TestDatabase;
  let cases: CasesService;
  let commune: string;
  let facility: string;
  let personId: string;
  let inRehab: string;
  let postRehab: string;
  let facilityCase: string;
  const token = (agency: string, roles: string[], units: string[]) => signDevToken({ agency, roles: roles as never, units });
  const call = async (method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(`${cases.url}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const register = async (as: string, decisionDate: string, over: Record<string, unknown> = {}) => {
    const created = await call('POST', '/api/v1/rehab-cases', {
      token: as,
      body: {
        personId,
        source: 'SELF_DECLARATION',
        form: 'VOLUNTARY_COMMUNITY',
        legalBasis: { decisionNo: '15/QĐ-UBND', decisionDate, issuedBy: 'COMMUNE_CHAIR' },
        termMonths: 6,
        ...over,
      },
    });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, etag: created.headers.get('etag') ?? '' };
  };
  const steps = async (id: string, etag: string, list: readonly (readonly [string, unknown])[]) => {
    for (const [route, body] of list) {
      const reply = await call('POST', `/api/v1/rehab-cases/${id}/${route}`, { token: commune, body, headers: { 'if-match': etag } });
      expect({ route, status: reply.status }).toEqual({ route, status: 200 });
      etag = reply.headers.get('etag') ?? '';
    }
  };
  /** Polls the list until the read model has applied `version` of case `id` (no timed assertion: jest's timeout bounds it). */
  const caughtUp = async (id: string, version: number) => {
    for (;;) {
      for (let page = 1; ; page++) {
        const listed = await call('GET', `/api/v1/rehab-cases?page=${page}`, { token: commune });
        const items = listed.status === 200 ? (listed.body.items as Item[]) : [];
        if (items.some((i) => i.id === id && i.version === version)) return;
        if (items.length === 0) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const list = async (query: string, as = commune) => call('GET', `/api/v1/rehab-cases${query}`, { token: as });

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent' });
    commune = await token('22-COMMUNE-06793', ['caseworker'], ['06793']);
    facility = await token('22-REHAB_FACILITY', ['caseworker'], ['22']);
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

    // In rehab since 2026-08-05 for six months: the term ends 2027-02-05.
    const a = await register(commune, '2026-08-03');
    inRehab = a.id;
    await steps(a.id, a.etag, [
      ['addiction-determination', { determinedOn: '2026-08-04', facilityId: 'QN-TTYT-HL', result: 'ADDICTED' }],
      ['start', { startedOn: '2026-08-05' }],
    ]);
    // Completed in 2022, post-rehab management for 12 months from 2022-09-20: ends 2023-09-20.
    const d = await register(commune, '2022-03-10');
    postRehab = d.id;
    await steps(d.id, d.etag, [
      ['addiction-determination', { determinedOn: '2022-03-11', facilityId: 'QN-TTYT-HL', result: 'ADDICTED' }],
      ['start', { startedOn: '2022-03-15' }],
      ['completion', { completedOn: '2022-09-15' }],
      [
        'post-rehab-management',
        { legalBasis: { decisionNo: '88/QĐ-UBND', decisionDate: '2022-09-20', issuedBy: 'COMMUNE_CHAIR' }, startedOn: '2022-09-20', termMonths: 12 },
      ],
    ]);
    // A facility stay, form decided only.
    facilityCase = (
      await register(facility, '2026-08-03', {
        form: 'VOLUNTARY_FACILITY',
        facilityId: 'QN-CSCN-01',
        legalBasis: { decisionNo: '12/QĐ-CSCN', decisionDate: '2026-08-03', issuedBy: 'FACILITY_DIRECTOR' },
      })
    ).id;
    // Enough community cases, form decided only, for a second page (page size 20): 22 cases in all.
    let last = '';
    for (let i = 0; i < 19; i++) last = (await register(commune, '2026-08-03')).id;
    await caughtUp(last, 1);
    await caughtUp(postRehab, 5);
    await caughtUp(inRehab, 3);
  });
  afterAll(async () => {
    await cases?.stop();
    await database?.drop();
  });

  it('lists the cases of the commune with their dates and no personal field, filtered by status and form', async () => {
    const started = await list('?status=IN_REHAB');
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ page: 1, pageSize: 20, total: 1 });
    expect(started.body.items).toEqual([
      {
        id: inRehab,
        personId,
        communeCode: '06793',
        status: 'IN_REHAB',
        form: 'VOLUNTARY_COMMUNITY',
        regime: 'LAW_120_2025_QH15',
        registeredOn: expect.any(String),
        startedOn: '2026-08-05',
        expectedEndOn: expect.any(String),
        completedOn: null,
        postRehabEndsOn: null,
        closedOn: null,
        version: 3,
      },
    ]);
    expect(JSON.stringify(started.body)).not.toContain('Nguyễn');
    const post = await list('?status=POST_REHAB_MANAGEMENT&communeCode=06793');
    expect((post.body.items as Item[]).map((i) => [i.id, i.completedOn, i.postRehabEndsOn, i.regime])).toEqual([
      [postRehab, '2022-09-15', '2023-09-20', 'LAW_73_2021_QH14'],
    ]);
    const stays = await list('?form=VOLUNTARY_FACILITY');
    expect((stays.body.items as Item[]).map((i) => [i.id, i.status])).toEqual([[facilityCase, 'FORM_DECIDED']]);
    expect((await list('?form=VOLUNTARY_COMMUNITY&status=FORM_DECIDED')).body.total).toBe(19);
    expect((await list('?status=CLOSED')).body).toMatchObject({ total: 0, items: [] });
  });

  it('pages 20 at a time', async () => {
    const first = await list('');
    const second = await list('?page=2');
    expect(first.body).toMatchObject({ page: 1, pageSize: 20, total: 22 });
    expect(first.body.items as Item[]).toHaveLength(20);
    expect(second.body).toMatchObject({ page: 2, total: 22 });
    // Past the last page: no items, and still the true total.
    expect((await list('?page=5')).body).toMatchObject({ page: 5, total: 22, items: [] });
    expect(second.body.items as Item[]).toHaveLength(2);
    const ids = [...(first.body.items as Item[]), ...(second.body.items as Item[])].map((i) => i.id);
    expect(new Set(ids).size).toBe(22);
  });

  it('scopes the list: another commune sees none of them, the province agencies all, the PPC nothing', async () => {
    const neighbour = await token('22-COMMUNE-06778', ['caseworker'], ['06778']);
    expect((await list('', neighbour)).body).toMatchObject({ total: 0, items: [] });
    expect((await list('?communeCode=06793', neighbour)).status).toBe(403);
    // The provincial police hold drug-rehab state management since 2025-03-01 (DOLISA's tokens are refused, ADR 0010).
    expect((await list('', await token('22-POLICE', ['caseworker'], ['22']))).body.total).toBe(22);
    expect((await list('', await token('23-POLICE', ['caseworker'], ['23']))).body.total).toBe(0);
    const ppc = await token('22-PPC', ['analyst', 'supervisor'], ['22']);
    expect((await list('', ppc)).status).toBe(403);
    expect((await call('GET', '/api/v1/deadlines', { token: ppc })).status).toBe(403);
    expect((await call('GET', '/api/v1/deadlines', { token: neighbour })).body).toEqual({ items: [] });
    expect((await list('')).status).toBe(200);
    expect((await call('GET', '/api/v1/rehab-cases')).status).toBe(401);
  });

  it('answers bad filters with 400', async () => {
    expect((await list('?status=ESCAPED')).status).toBe(400);
    expect((await list('?page=0')).status).toBe(400);
    expect((await call('GET', '/api/v1/deadlines?dueBefore=2027-02-30', { token: commune })).status).toBe(400);
    expect((await call('GET', '/api/v1/deadlines?dueBefore=soon', { token: commune })).status).toBe(400);
  });

  it('lists the open deadlines by due date: the end of the started term and the end of post-rehab management', async () => {
    const all = await call('GET', '/api/v1/deadlines', { token: commune });
    expect(all.status).toBe(200);
    expect(all.body.items).toEqual([
      // `provisional`: counted over a year without an official holiday decision (libs/calendar); month terms are not.
      { caseId: postRehab, communeCode: '06793', rule: 'post-rehab-management-end', description: expect.any(String), dueOn: '2023-09-20', provisional: false },
      { caseId: inRehab, communeCode: '06793', rule: 'rehab-term-end', description: 'End of the rehabilitation term', dueOn: '2027-02-05', provisional: false },
    ]);
    const before = await call('GET', '/api/v1/deadlines?dueBefore=2027-01-01', { token: commune });
    expect((before.body.items as Item[]).map((i) => i.caseId)).toEqual([postRehab]);
    const including = await call('GET', '/api/v1/deadlines?dueBefore=2027-02-06', { token: commune });
    expect((including.body.items as Item[]).map((i) => i.caseId)).toEqual([postRehab, inRehab]);
    const facilityView = await call('GET', '/api/v1/deadlines', { token: facility });
    expect((facilityView.body.items as Item[]).map((i) => i.caseId)).toEqual([postRehab, inRehab]);
  });

  it('lists the form decision as due 3 working days after a positive determination, until the decision is recorded', async () => {
    // Compulsory rehab: registered without a form, found addicted on Friday 2026-11-20 → due Wednesday 2026-11-25.
    const created = await call('POST', '/api/v1/rehab-cases', { token: commune, body: { personId, source: 'POLICE_DETECTION', registeredOn: '2026-11-19' } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await steps(id, created.headers.get('etag') ?? '', [
      ['addiction-determination', { determinedOn: '2026-11-20', facilityId: 'QN-TTYT-HL', result: 'ADDICTED' }],
    ]);
    await caughtUp(id, 1);
    const due = await call('GET', '/api/v1/deadlines', { token: commune });
    expect(due.body.items).toContainEqual({
      caseId: id,
      communeCode: '06793',
      rule: 'decision-after-positive-determination',
      description: 'Decision on the form of rehab due 3 working days after the person is determined to be addicted',
      dueOn: '2026-11-25',
      provisional: false,
    });
    const decided = await call('POST', `/api/v1/rehab-cases/${id}/form-decision`, {
      token: facility,
      body: {
        form: 'COMPULSORY_FACILITY',
        legalBasis: { decisionNo: '07/QĐ-TA', decisionDate: '2026-11-24', issuedBy: 'COURT' },
        termMonths: 12,
        facilityId: 'QN-CSCN-01',
      },
      headers: { 'if-match': '"1"' },
    });
    expect(decided.status).toBe(200);
    await caughtUp(id, 2);
    const after = await call('GET', '/api/v1/deadlines', { token: commune });
    expect((after.body.items as Item[]).filter((i) => i.caseId === id)).toEqual([]);
  });

  it('rebuilds from the events into a new version that answers the same', async () => {
    const before = [await list(''), await list('?page=2'), await call('GET', '/api/v1/deadlines', { token: commune })].map((r) => r.body);
    const dataSource = new DataSource({ type: 'postgres', url: database.url, entities: projectionEntities([rehabCasesProjection]), logging: false });
    await dataSource.initialize();
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    try {
      const next = rehabCasesProjection.version + 1;
      const { runner } = await rebuildProjection({ dataSource, store: cases.store, projection: defineRehabCasesProjection(next), logger: quiet });
      await runner.stop();
      expect(await activeVersion(dataSource, rehabCasesProjection.name)).toBe(next);
      const count = async (version: number) => dataSource.query(`SELECT count(*)::int AS n FROM proj_cases_rehab_cases_v${version}.rehab_case_row`);
      expect(await count(next)).toEqual(await count(rehabCasesProjection.version));
      expect((await count(next))[0].n).toBeGreaterThanOrEqual(22);
    } finally {
      await dataSource.destroy();
    }
    const after = [await list(''), await list('?page=2'), await call('GET', '/api/v1/deadlines', { token: commune })].map((r) => r.body);
    expect(after).toEqual(before);
  });

  it('answers 503, not 500, while the active read model lacks a column the route needs (a newer version still building)', async () => {
    const active = (
      (await database.pool.query('SELECT active_version FROM projection_versions WHERE name = $1', [rehabCasesProjection.name])).rows as {
        active_version: number;
      }[]
    )[0]?.active_version;
    await database.pool.query(`ALTER TABLE proj_cases_rehab_cases_v${active}.rehab_case_row DROP COLUMN addiction_confirmed_on`);
    const reply = await call('GET', '/api/v1/deadlines', { token: commune });
    expect(reply.status).toBe(503);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
  });

  it('has a policy on every route', () => {
    expect(findUnguardedHandlers(cases.service.app, { policy: casesPolicy })).toEqual([]);
  });
});
