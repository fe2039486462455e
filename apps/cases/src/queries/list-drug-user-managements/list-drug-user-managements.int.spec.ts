/**
 * The drug-user-managements read model over real HTTP against real PostgreSQL: a decided management
 * lists in its commune and province, its deadlines (the end of the one-year term, moved by a
 * positive test; the decision due after a "not addicted" determination) appear in /deadlines, and
 * another commune sees neither. Reads lag the events, so each step polls until the projection caught up.
 */
import { DataSource } from 'typeorm';
import { findUnguardedHandlers, signDevToken } from '@haidang/auth';
import { activeVersion, projectionEntities, rebuildProjection } from '@haidang/projections';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { casesPolicy } from '../../cases.policy';
import { casesMigrations, startCasesService, type CasesService } from '../../cases-service';
import { defineDrugUserManagementsProjection, drugUserManagementsProjection } from '../../projections/drug-user-managements/drug-user-managements.projection';

jest.setTimeout(120_000);

type Reply = { status: number; headers: Headers; body: Record<string, unknown> };
type Item = Record<string, unknown>;

describe('drug-user-managements list and their deadlines', () => {
  let database: TestDatabase;
  let cases: CasesService;
  let commune: string;
  let communePolice: string;
  let police: string;
  let facility: string;
  let haLong: string;
  const token = (agency: string, roles: string[], units: string[]) => signDevToken({ agency, roles: roles as never, units });
  const call = async (method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(`${cases.url}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  /** Polls a GET until `ready` holds for its body (the projection lags the events; 503 while a read model is first built). */
  const eventually = async (path: string, as: string, ready: (body: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> => {
    for (let attempt = 0; ; attempt += 1) {
      const reply = await call('GET', path, { token: as });
      const building = reply.status === 503 && attempt < 200;
      if (!building) expect(reply.status).toBe(200);
      if ((!building && ready(reply.body)) || attempt >= 200) return reply.body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const items = (body: Record<string, unknown>) => body.items as Item[];
  const registerPerson = async (who: string, dateOfBirth: string, communeCode = '06793') => {
    const person = await call('POST', '/api/v1/persons', {
      token: who,
      body: { fullName: 'Nguyễn Văn An', dateOfBirth, sex: 'MALE', residence: { provinceCode: '22', communeCode, address: 'Tổ 3, khu 5' } },
    });
    expect(person.status).toBe(201);
    return person.body.id as string;
  };
  const decision = (decisionDate: string, personId: string, rehabCaseId?: string) => ({
    personId,
    ...(rehabCaseId === undefined ? {} : { rehabCaseId }),
    legalBasis: { decisionNo: '45/QĐ-UBND', decisionDate, issuedBy: 'COMMUNE_CHAIR' },
    positiveTestOn: decisionDate,
    startsOn: decisionDate,
  });
  const decide = async (as: string, body: unknown) => {
    const decided = await call('POST', '/api/v1/drug-user-managements', { token: as, body });
    expect(decided.status).toBe(201);
    return decided.body.id as string;
  };
  const step = (as: string, id: string, route: string, body: unknown, etag: string) =>
    call('POST', `/api/v1/drug-user-managements/${id}/${route}`, { token: as, body, headers: { 'if-match': etag } });

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent' });
    commune = await token('22-COMMUNE-06793', ['caseworker'], ['06793']);
    communePolice = await token('22-COMMUNE_POLICE-06793', ['caseworker'], ['06793']);
    police = await token('22-POLICE', ['caseworker'], ['22']);
    facility = await token('22-REHAB_FACILITY', ['caseworker'], ['22']);
    haLong = await token('22-COMMUNE-06673', ['caseworker'], ['06673']);
  });

  afterAll(async () => {
    await cases?.stop();
    await database?.drop();
  });

  it('a decided management lists in its commune and province; its term end is a deadline there, moved by a positive test; another commune sees neither', async () => {
    const personId = await registerPerson(commune, '1990-01-15');
    const id = await decide(commune, decision('2026-08-03', personId));

    const listed = await eventually('/api/v1/drug-user-managements', commune, (body) => items(body).some((i) => i.id === id));
    expect(listed).toMatchObject({ page: 1, pageSize: 20, total: 1 });
    expect(items(listed)).toEqual([
      {
        id,
        personId,
        rehabCaseId: null,
        communeCode: '06793',
        status: 'IN_PROGRESS',
        regime: 'LAW_120_2025_QH15',
        decidedOn: '2026-08-03',
        startsOn: '2026-08-03',
        endsOn: '2027-08-03',
        endedOn: null,
        terminationReason: null,
        version: 0,
      },
    ]);
    expect(items(await eventually('/api/v1/drug-user-managements', police, () => true)).map((i) => i.id)).toEqual([id]);

    const deadlines = await eventually('/api/v1/deadlines?communeCode=06793', commune, (body) => items(body).length > 0);
    expect(items(deadlines)).toEqual([
      {
        caseId: null,
        managementId: id,
        communeCode: '06793',
        rule: 'drug-user-management-end',
        description: expect.stringContaining('one-year management'),
        dueOn: '2027-08-03',
        provisional: false,
      },
    ]);

    // Another commune: not in its list, not in its deadlines, and asking for 06793 is refused.
    await registerPerson(haLong, '1988-02-02', '06673');
    expect(await call('GET', '/api/v1/drug-user-managements', { token: haLong })).toMatchObject({ status: 200, body: { total: 0, items: [] } });
    expect((await call('GET', '/api/v1/deadlines', { token: haLong })).body).toEqual({ items: [] });
    expect((await call('GET', '/api/v1/drug-user-managements?communeCode=06793', { token: haLong })).status).toBe(403);
    expect((await call('GET', '/api/v1/deadlines?communeCode=06793', { token: haLong })).status).toBe(403);
    // The facility reads rehab-case deadlines but not managements.
    expect((await call('GET', '/api/v1/drug-user-managements', { token: facility })).status).toBe(403);
    expect((await call('GET', '/api/v1/deadlines', { token: facility })).body).toEqual({ items: [] });

    // A positive test restarts the year: the list and the deadline follow.
    expect((await step(communePolice, id, 'drug-tests', { testedOn: '2026-10-05', positive: true }, '"0"')).status).toBe(200);
    const moved = await eventually('/api/v1/deadlines', commune, (body) => items(body).some((i) => i.dueOn === '2027-10-05'));
    expect(items(moved).map((i) => [i.managementId, i.rule, i.dueOn])).toEqual([[id, 'drug-user-management-end', '2027-10-05']]);
    expect(items((await call('GET', '/api/v1/deadlines?dueBefore=2027-10-05', { token: commune })).body)).toEqual([]);

    // Ended early: it lists under its new status and its deadline is gone.
    expect((await step(commune, id, 'early-termination', { terminatedOn: '2026-11-20', reason: 'DETERMINED_ADDICTED' }, '"1"')).status).toBe(200);
    const ended = await eventually('/api/v1/drug-user-managements?status=TERMINATED_EARLY', commune, (body) => items(body).length === 1);
    expect(items(ended)).toEqual([
      expect.objectContaining({ id, status: 'TERMINATED_EARLY', endedOn: '2026-11-20', terminationReason: 'DETERMINED_ADDICTED' }),
    ]);
    expect((await call('GET', '/api/v1/drug-user-managements?status=IN_PROGRESS', { token: commune })).body).toMatchObject({ total: 0 });
    expect((await call('GET', '/api/v1/deadlines', { token: commune })).body).toEqual({ items: [] });
  });

  it('a "not addicted" determination makes the commune chair’s decision due; the decision meets it and starts the term deadline', async () => {
    const personId = await registerPerson(communePolice, '1995-04-02');
    const registered = await call('POST', '/api/v1/rehab-cases', {
      token: communePolice,
      body: { personId, source: 'POLICE_DETECTION', registeredOn: '2026-06-20' },
    });
    expect(registered.status).toBe(201);
    const caseId = registered.body.id as string;
    const determined = await call('POST', `/api/v1/rehab-cases/${caseId}/addiction-determination`, {
      token: communePolice,
      body: { determinedOn: '2026-06-25', facilityId: 'QN-TTYT-CP', result: 'ILLEGAL_USE_NOT_ADDICTION' },
      headers: { 'if-match': '"0"' },
    });
    expect(determined.status).toBe(200);

    // Thursday 25 June 2026 + 5 working days (verify: true in the rules data) = Thursday 2 July.
    const due = await eventually('/api/v1/deadlines', commune, (body) => items(body).some((i) => i.caseId === caseId));
    expect(items(due)).toEqual([
      {
        caseId,
        communeCode: '06793',
        rule: 'drug-user-management-decision',
        description: expect.stringContaining('management of the illegal drug user'),
        dueOn: '2026-07-02',
        provisional: false,
      },
    ]);
    expect((await call('GET', '/api/v1/deadlines', { token: haLong })).body).toEqual({ items: [] });

    const id = await decide(commune, decision('2026-07-01', personId, caseId));
    const after = await eventually('/api/v1/deadlines', commune, (body) => items(body).some((i) => i.managementId === id));
    expect(items(after).map((i) => [i.caseId, i.managementId, i.rule, i.dueOn])).toEqual([[caseId, id, 'drug-user-management-end', '2027-07-01']]);
  });

  it('answers bad filters with 400 problem+json naming the field, and no token with 401', async () => {
    const badStatus = await call('GET', '/api/v1/drug-user-managements?status=ESCAPED', { token: commune });
    expect(badStatus.status).toBe(400);
    expect(badStatus.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(badStatus.body)).toContain('status');
    expect((await call('GET', '/api/v1/drug-user-managements?page=0', { token: commune })).status).toBe(400);
    expect((await call('GET', '/api/v1/drug-user-managements?communeCode=6793', { token: commune })).status).toBe(400);
    expect((await call('GET', '/api/v1/drug-user-managements')).status).toBe(401);
    expect((await call('GET', '/api/v1/drug-user-managements', { token: await token('22-PPC', ['analyst', 'supervisor'], ['22']) })).status).toBe(403);
  });

  it('documents the list in OpenAPI with its filters, guarded by a policy action', async () => {
    const doc = (await (await fetch(`${cases.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const list = JSON.stringify(doc.paths['/api/v1/drug-user-managements']?.get);
    for (const word of ['status', 'communeCode', 'page', 'Law 73/2021 Art. 23–26']) expect(list).toContain(word);
    expect(findUnguardedHandlers(cases.service.app, { policy: casesPolicy }).filter((line) => line.includes('drug-user-management'))).toEqual([]);
  });

  it('rebuilds from the events into a new version that answers the same (list and deadlines)', async () => {
    const views = async () =>
      Promise.all([call('GET', '/api/v1/drug-user-managements', { token: police }), call('GET', '/api/v1/deadlines', { token: commune })]).then((replies) =>
        replies.map((r) => r.body),
      );
    const before = await views();
    expect((before[0] as { total: number }).total).toBe(2);
    const dataSource = new DataSource({ type: 'postgres', url: database.url, entities: projectionEntities([drugUserManagementsProjection]), logging: false });
    await dataSource.initialize();
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const next = drugUserManagementsProjection.version + 1;
    try {
      const { runner } = await rebuildProjection({ dataSource, store: cases.store, projection: defineDrugUserManagementsProjection(next), logger: quiet });
      await runner.stop();
      expect(await activeVersion(dataSource, drugUserManagementsProjection.name)).toBe(next);
      const rows = async (version: number) =>
        dataSource.query(`SELECT * FROM proj_cases_drug_user_managements_v${version}.drug_user_management_row ORDER BY management_id`);
      expect(await rows(next)).toEqual(await rows(drugUserManagementsProjection.version));
    } finally {
      await dataSource.destroy();
    }
    expect(await views()).toEqual(before);
  });
});
