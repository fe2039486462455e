/**
 * Issue 11 over real HTTP against real PostgreSQL: management of illegal drug users as a measure of
 * its own (Law 73/2021 Art. 23–26), the "not addicted" determination that leads to it, the police in
 * the case flow, and the legal holes closed in the rehab-case decider (court-only reduction of a
 * compulsory term, no compulsory rehab under 12, the Cedemex pilot's places and period).
 */
import { findUnguardedHandlers, signDevToken } from '@haidang/auth';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { casesPolicy } from '../cases.policy';
import { casesMigrations, startCasesService, type CasesService } from '../cases-service';

jest.setTimeout(90_000);

type Reply = { status: number; headers: Headers; body: Record<string, unknown> };

describe('management of illegal drug users, police and legal holes over HTTP', () => {
  let database: TestDatabase;
  let cases: CasesService;
  let commune: string;
  let communePolice: string;
  let police: string;
  let facility: string;
  let health: string;
  let haLong: string;
  const token = (agency: string, roles: string[], units: string[]) => signDevToken({ agency, roles: roles as never, units });
  const call = async (method: string, path: string, options: { token: string; body?: unknown; headers?: Record<string, string> }): Promise<Reply> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${options.token}`, ...(options.headers ?? {}) };
    const response = await fetch(`${cases.url}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const registerPerson = async (who: string, dateOfBirth: string, communeCode = '06793') => {
    const person = await call('POST', '/api/v1/persons', {
      token: who,
      body: { fullName: 'Nguyễn Văn An', dateOfBirth, sex: 'MALE', residence: { provinceCode: '22', communeCode, address: 'Tổ 3, khu 5' } },
    });
    expect(person.status).toBe(201);
    return person.body.id as string;
  };
  const caseStep = (who: string, id: string, route: string, body: unknown, etag: string) =>
    call('POST', `/api/v1/rehab-cases/${id}/${route}`, { token: who, body, headers: { 'if-match': etag } });
  const managementStep = (who: string, id: string, route: string, body: unknown, etag: string) =>
    call('POST', `/api/v1/drug-user-managements/${id}/${route}`, { token: who, body, headers: { 'if-match': etag } });
  const decision = (decisionDate: string, personId: string, rehabCaseId?: string) => ({
    personId,
    ...(rehabCaseId === undefined ? {} : { rehabCaseId }),
    legalBasis: { decisionNo: '45/QĐ-UBND', decisionDate, issuedBy: 'COMMUNE_CHAIR' },
    positiveTestOn: decisionDate,
    startsOn: decisionDate,
  });

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent' });
    commune = await token('22-COMMUNE-06793', ['caseworker'], ['06793']);
    communePolice = await token('22-COMMUNE_POLICE-06793', ['caseworker'], ['06793']);
    police = await token('22-POLICE', ['caseworker'], ['22']);
    facility = await token('22-REHAB_FACILITY', ['caseworker'], ['22']);
    health = await token('22-HEALTH', ['caseworker'], ['22']);
    haLong = await token('22-COMMUNE-06673', ['caseworker'], ['06673']);
  });
  afterAll(async () => {
    await cases?.stop();
    await database?.drop();
  });

  it.each([
    {
      law: 'Law 73/2021/QH14',
      regime: 'LAW_73_2021_QH14',
      registeredOn: '2026-06-20',
      determinedOn: '2026-06-25',
      decidedOn: '2026-06-30',
      endsOn: '2027-06-30',
    },
    {
      law: 'Law 120/2025/QH15',
      regime: 'LAW_120_2025_QH15',
      registeredOn: '2026-06-20',
      determinedOn: '2026-06-25',
      decidedOn: '2026-07-01',
      endsOn: '2027-07-01',
    },
  ])(
    'a "not addicted" determination leads to management by the commune chair ($law), not to a silent closure',
    async ({ regime, registeredOn, determinedOn, decidedOn, endsOn }) => {
      const personId = await registerPerson(communePolice, '1995-04-02');
      // The commune police compile the dossier: register without a form, record the determination.
      const registered = await call('POST', '/api/v1/rehab-cases', { token: communePolice, body: { personId, source: 'POLICE_DETECTION', registeredOn } });
      expect(registered.status).toBe(201);
      const caseId = registered.body.id as string;
      const determined = await caseStep(
        communePolice,
        caseId,
        'addiction-determination',
        { determinedOn, facilityId: 'QN-TTYT-CP', result: 'ILLEGAL_USE_NOT_ADDICTION' },
        '"0"',
      );
      expect(determined.status).toBe(200);
      expect((await call('GET', `/api/v1/rehab-cases/${caseId}`, { token: commune })).body).toMatchObject({
        status: 'NOT_ADDICTED',
        nextStep: 'DRUG_USER_MANAGEMENT',
      });

      const silent = await caseStep(commune, caseId, 'closure', { closedOn: decidedOn }, '"1"');
      expect(silent.status).toBe(422);
      expect(silent.body.detail).toMatch(/management of the illegal drug user/);

      // The commune police prepare, the commune chair decides.
      expect((await call('POST', '/api/v1/drug-user-managements', { token: communePolice, body: decision(decidedOn, personId, caseId) })).status).toBe(403);
      const decided = await call('POST', '/api/v1/drug-user-managements', { token: commune, body: decision(decidedOn, personId, caseId) });
      expect(decided.status).toBe(201);
      expect(decided.headers.get('location')).toBe(`/api/v1/drug-user-managements/${decided.body.id as string}`);
      const managementId = decided.body.id as string;
      const read = await call('GET', `/api/v1/drug-user-managements/${managementId}`, { token: police });
      expect(read.body).toMatchObject({ status: 'IN_PROGRESS', regime, startsOn: decidedOn, endsOn, rehabCaseId: caseId });

      const unrelated = await caseStep(
        commune,
        caseId,
        'closure',
        { closedOn: decidedOn, drugUserManagementId: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10' },
        '"1"',
      );
      expect(unrelated.status).toBe(422);
      const closed = await caseStep(commune, caseId, 'closure', { closedOn: decidedOn, drugUserManagementId: managementId }, '"1"');
      expect(closed.status).toBe(200);
      expect((await call('GET', `/api/v1/rehab-cases/${caseId}`, { token: commune })).body).toMatchObject({
        status: 'CLOSED',
        nextStep: null,
        drugUserManagementId: managementId,
      });
    },
  );

  it('the commune police test during management (a positive test restarts the year); the commune ends it early; scope and roles hold', async () => {
    const personId = await registerPerson(commune, '1990-01-15');
    const decided = await call('POST', '/api/v1/drug-user-managements', { token: commune, body: decision('2026-08-03', personId) });
    expect(decided.status).toBe(201);
    const id = decided.body.id as string;
    expect(decided.headers.get('etag')).toBe('"0"');
    const tested = await managementStep(communePolice, id, 'drug-tests', { testedOn: '2026-10-05', positive: true }, '"0"');
    expect(tested.status).toBe(200);
    expect((await call('GET', `/api/v1/drug-user-managements/${id}`, { token: commune })).body).toMatchObject({ endsOn: '2027-10-05' });
    // Ending is the commune's act (the holder of the function), not the police's; not before the term.
    expect((await managementStep(communePolice, id, 'early-termination', { terminatedOn: '2026-11-20', reason: 'DETERMINED_ADDICTED' }, '"1"')).status).toBe(
      403,
    );
    expect((await managementStep(commune, id, 'end', { endedOn: '2026-11-20' }, '"1"')).status).toBe(422);
    const early = await managementStep(commune, id, 'early-termination', { terminatedOn: '2026-11-20', reason: 'DETERMINED_ADDICTED' }, '"1"');
    expect(early.status).toBe(200);
    expect((await call('GET', `/api/v1/drug-user-managements/${id}`, { token: health })).body).toMatchObject({
      status: 'TERMINATED_EARLY',
      terminationReason: 'DETERMINED_ADDICTED',
    });
    expect((await call('GET', `/api/v1/drug-user-managements/${id}`, { token: facility })).status).toBe(403);
    expect((await call('GET', `/api/v1/drug-user-managements/${id}`, { token: haLong })).status).toBe(403);
  });

  it('answers bad input with 400 naming the fields, and a stale If-Match with 409', async () => {
    const personId = await registerPerson(commune, '1991-05-05');
    const bad = await call('POST', '/api/v1/drug-user-managements', {
      token: commune,
      body: { personId, legalBasis: { decisionNo: '', decisionDate: '2026-02-30', issuedBy: 'X' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const text = JSON.stringify(bad.body);
    for (const field of ['positiveTestOn', 'startsOn', 'decisionDate', 'issuedBy']) expect(text).toContain(field);
    const decided = await call('POST', '/api/v1/drug-user-managements', { token: commune, body: decision('2026-08-03', personId) });
    expect((await managementStep(commune, decided.body.id as string, 'drug-tests', { testedOn: '2026-09-01', positive: false }, '"3"')).status).toBe(409);
  });

  it('refuses compulsory rehab and management for a child under 12 on the decision date (422 in plain words), accepts a 12-year-old', async () => {
    const child = await registerPerson(commune, '2014-08-11');
    const refused = await call('POST', '/api/v1/drug-user-managements', { token: commune, body: decision('2026-08-10', child) });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/from full 12 years/);
    const registered = await call('POST', '/api/v1/rehab-cases', {
      token: communePolice,
      body: { personId: child, source: 'POLICE_DETECTION', registeredOn: '2026-08-01' },
    });
    const caseId = registered.body.id as string;
    expect(
      (await caseStep(communePolice, caseId, 'addiction-determination', { determinedOn: '2026-08-02', facilityId: 'QN-TTYT-CP', result: 'ADDICTED' }, '"0"'))
        .status,
    ).toBe(200);
    const court = (decisionDate: string) => ({
      form: 'COMPULSORY_FACILITY',
      legalBasis: { decisionNo: '07/QĐ-TA', decisionDate, issuedBy: 'COURT' },
      termMonths: 6,
      facilityId: 'QN-CSCN-01',
    });
    const under12 = await caseStep(facility, caseId, 'form-decision', court('2026-08-10'), '"1"');
    expect(under12.status).toBe(422);
    expect(under12.body.detail).toMatch(/under 12 years of age/);
    // On the 12th birthday the court may decide (minors' terms: 6–12 months).
    expect((await caseStep(facility, caseId, 'form-decision', court('2026-08-11'), '"1"')).status).toBe(200);
  });

  it('a compulsory term is cut only by the court on the facility’s proposal; the facility cannot shorten it', async () => {
    const personId = await registerPerson(commune, '1985-03-03');
    const registered = await call('POST', '/api/v1/rehab-cases', {
      token: commune,
      body: { personId, source: 'POLICE_DETECTION', registeredOn: '2025-01-02' },
    });
    const id = registered.body.id as string;
    await caseStep(commune, id, 'addiction-determination', { determinedOn: '2025-01-03', facilityId: 'QN-TTYT-CP', result: 'ADDICTED' }, '"0"');
    const court = {
      form: 'COMPULSORY_FACILITY',
      legalBasis: { decisionNo: '07/QĐ-TA', decisionDate: '2025-01-10', issuedBy: 'COURT' },
      termMonths: 24,
      facilityId: 'QN-CSCN-01',
    };
    expect((await caseStep(facility, id, 'form-decision', court, '"1"')).status).toBe(200);
    expect((await caseStep(facility, id, 'start', { startedOn: '2025-01-15' }, '"2"')).status).toBe(200);
    const byFacility = { months: 3, legalBasis: { decisionNo: '12/QĐ-CSCN', decisionDate: '2026-02-10', issuedBy: 'FACILITY_DIRECTOR' } };
    const refused = await caseStep(facility, id, 'term-reduction', byFacility, '"3"');
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/only by the court/);
    const withoutProposal = { months: 3, legalBasis: { decisionNo: '40/QĐ-TA', decisionDate: '2026-02-10', issuedBy: 'COURT' } };
    expect((await caseStep(facility, id, 'term-reduction', withoutProposal, '"3"')).status).toBe(422);
    const byCourt = { ...withoutProposal, proposal: { proposalNo: '12/TTr-CSCN', proposedOn: '2026-02-02' } };
    expect((await caseStep(facility, id, 'term-reduction', byCourt, '"3"')).status).toBe(200);
  });

  it('the Cedemex pilot: a pilot commune registers its case in 2022; refused outside the pilot localities or after the period', async () => {
    const cedemex = (personId: string, decisionDate: string) => ({
      personId,
      source: 'SELF_DECLARATION',
      form: 'CEDEMEX_PILOT',
      legalBasis: { decisionNo: '18/QĐ-UBND', decisionDate, issuedBy: 'COMMUNE_CHAIR' },
      termMonths: 6,
    });
    const inCamPha = await registerPerson(commune, '1992-07-07');
    expect((await call('POST', '/api/v1/rehab-cases', { token: commune, body: cedemex(inCamPha, '2022-04-12') })).status).toBe(201);
    const late = await call('POST', '/api/v1/rehab-cases', { token: commune, body: cedemex(inCamPha, '2023-01-03') });
    expect(late.status).toBe(422);
    expect(late.body.detail).toMatch(/Cedemex pilot applies only/);
    const inHaLong = await registerPerson(haLong, '1992-07-07', '06673');
    expect((await call('POST', '/api/v1/rehab-cases', { token: haLong, body: cedemex(inHaLong, '2022-04-12') })).status).toBe(422);
  });

  it('lets the provincial police record a relapse (state management of post-rehab management since 2025) but not complete a course', async () => {
    const personId = await registerPerson(commune, '1987-09-09');
    const registered = await call('POST', '/api/v1/rehab-cases', {
      token: commune,
      body: {
        personId,
        source: 'SELF_DECLARATION',
        form: 'VOLUNTARY_COMMUNITY',
        legalBasis: { decisionNo: '21/QĐ-UBND', decisionDate: '2025-03-03', issuedBy: 'COMMUNE_CHAIR' },
        termMonths: 6,
      },
    });
    const id = registered.body.id as string;
    expect((await caseStep(commune, id, 'start', { startedOn: '2025-03-05' }, '"1"')).status).toBe(200);
    expect((await caseStep(police, id, 'completion', { completedOn: '2025-09-05' }, '"2"')).status).toBe(403);
    expect((await caseStep(commune, id, 'completion', { completedOn: '2025-09-05' }, '"2"')).status).toBe(200);
    const postRehab = {
      legalBasis: { decisionNo: '77/QĐ-UBND', decisionDate: '2025-09-08', issuedBy: 'COMMUNE_CHAIR' },
      startedOn: '2025-09-10',
      termMonths: 12,
    };
    expect((await caseStep(commune, id, 'post-rehab-management', postRehab, '"3"')).status).toBe(200);
    const relapse = await caseStep(police, id, 'relapse', { detectedOn: '2026-02-03' }, '"4"');
    expect(relapse.status).toBe(200);
  });

  it('documents the routes in OpenAPI, under /api/v1 with a plural kebab-case noun, each with a policy action', async () => {
    const doc = (await (await fetch(`${cases.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    for (const path of [
      '/api/v1/drug-user-managements',
      '/api/v1/drug-user-managements/{id}',
      '/api/v1/drug-user-managements/{id}/drug-tests',
      '/api/v1/drug-user-managements/{id}/end',
      '/api/v1/drug-user-managements/{id}/early-termination',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
    expect(JSON.stringify(doc.paths['/api/v1/drug-user-managements'])).toContain('Law 73/2021 Art. 23–26');
    expect(JSON.stringify(doc.paths['/api/v1/rehab-cases/{id}/term-reduction'])).toContain('proposal');
    const unguarded = findUnguardedHandlers(cases.service.app, { policy: casesPolicy }).filter(
      (line) => line.includes('drug-user-management') || line.includes('rehab-cases'),
    );
    expect(unguarded).toEqual([]);
  });
});
