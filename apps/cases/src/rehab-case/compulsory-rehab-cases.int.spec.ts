/**
 * Compulsory rehab over real HTTP against real PostgreSQL: registered without a form, then the
 * addiction determination, then the court's form decision; the per-step rule that lets the
 * residence commune start post-rehab management of a facility case; substitution therapy run by
 * the health service.
 */
import { findUnguardedHandlers, signDevToken } from '@haidang/auth';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { casesPolicy } from '../cases.policy';
import { casesMigrations, startCasesService, type CasesService } from '../cases-service';

jest.setTimeout(90_000);

type Reply = { status: number; headers: Headers; body: Record<string, unknown> };

describe('compulsory rehab and per-step management', () => {
  let database: TestDatabase;
  let cases: CasesService;
  let commune: string;
  let neighbour: string;
  let facility: string;
  let police: string;
  let personId: string;
  const token = (agency: string, roles: string[], units: string[]) => signDevToken({ agency, roles: roles as never, units });
  const call = async (method: string, path: string, options: { token: string; body?: unknown; headers?: Record<string, string> }): Promise<Reply> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${options.token}`, ...(options.headers ?? {}) };
    const response = await fetch(`${cases.url}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const eventTypes = async (caseId: string) =>
    (
      await database.pool.query<{ event_type: string }>(`SELECT event_type FROM es_events WHERE stream_name = $1 ORDER BY stream_revision`, [
        `RehabCase-${caseId}`,
      ])
    ).rows.map((r) => r.event_type);
  const step = (who: string, id: string, route: string, body: unknown, etag: string, headers: Record<string, string> = {}) =>
    call('POST', `/api/v1/rehab-cases/${id}/${route}`, { token: who, body, headers: { 'if-match': etag, ...headers } });
  /** Registers a case without a form (compulsory path). */
  const registerWithoutForm = async (registeredOn: string, who = commune) => {
    const created = await call('POST', '/api/v1/rehab-cases', { token: who, body: { personId, source: 'POLICE_DETECTION', registeredOn } });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, etag: created.headers.get('etag') ?? '' };
  };
  const courtDecision = (decisionDate: string) => ({
    form: 'COMPULSORY_FACILITY',
    legalBasis: { decisionNo: '07/QĐ-TA', decisionDate, issuedBy: 'COURT' },
    termMonths: 24,
    facilityId: 'QN-CSCN-01',
  });

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent' });
    commune = await token('22-COMMUNE-06793', ['caseworker'], ['06793']);
    neighbour = await token('22-COMMUNE-06778', ['caseworker'], ['06778']);
    facility = await token('22-REHAB_FACILITY', ['caseworker'], ['22']);
    police = await token('22-POLICE', ['caseworker'], ['22']);
    const person = await call('POST', '/api/v1/persons', {
      token: commune,
      body: {
        fullName: 'Trần Văn Bình',
        dateOfBirth: '1988-02-11',
        sex: 'MALE',
        residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 1, khu 2' },
      },
    });
    expect(person.status).toBe(201);
    personId = person.body.id as string;
  });
  afterAll(async () => {
    await cases?.stop();
    await database?.drop();
  });

  it.each([
    {
      law: 'Law 73/2021/QH14 (2022)',
      regime: 'LAW_73_2021_QH14',
      registeredOn: '2022-03-10',
      determinedOn: '2022-03-11',
      decidedOn: '2022-03-20',
      startedOn: '2022-03-25',
    },
    {
      law: 'Law 120/2025/QH15 (2026-08)',
      regime: 'LAW_120_2025_QH15',
      registeredOn: '2026-08-03',
      determinedOn: '2026-08-04',
      decidedOn: '2026-08-10',
      startedOn: '2026-08-12',
    },
  ])(
    'registers compulsory rehab without a form, then determination, court decision and start under $law',
    async ({ regime, registeredOn, determinedOn, decidedOn, startedOn }) => {
      const { id, etag } = await registerWithoutForm(registeredOn);
      expect(etag).toBe('"0"');
      expect(await eventTypes(id)).toEqual(['RehabCaseRegistered']);
      const determined = await step(commune, id, 'addiction-determination', { determinedOn, facilityId: 'QN-TTYT-HL', result: 'ADDICTED' }, etag);
      expect(determined.status).toBe(200);
      // The commune manages no facility stay: it cannot record the court's decision that hands the case to the facility.
      expect((await step(commune, id, 'form-decision', courtDecision(decidedOn), '"1"')).status).toBe(403);
      const decided = await step(facility, id, 'form-decision', courtDecision(decidedOn), '"1"');
      expect({ status: decided.status, body: decided.body }).toEqual({ status: 200, body: { id, version: 2 } });
      expect(decided.headers.get('etag')).toBe('"2"');
      const started = await step(facility, id, 'start', { startedOn }, '"2"');
      expect(started.status).toBe(200);
      const read = await call('GET', `/api/v1/rehab-cases/${id}`, { token: commune });
      expect(read.body).toMatchObject({ id, status: 'IN_REHAB', form: 'COMPULSORY_FACILITY', regime, addiction: 'ADDICTED' });
      expect(await eventTypes(id)).toEqual(['RehabCaseRegistered', 'AddictionDetermined', 'RehabFormDecided', 'RehabStarted']);
    },
  );

  it('refuses the compulsory form decision before the addiction determination with 422 in plain words', async () => {
    const { id, etag } = await registerWithoutForm('2026-08-03');
    const reply = await step(facility, id, 'form-decision', courtDecision('2026-08-10'), etag);
    expect(reply.status).toBe(422);
    expect(reply.body.detail).toBe('compulsory rehab needs a prior determination that the person is addicted');
    expect(await eventTypes(id)).toEqual(['RehabCaseRegistered']);
  });

  it('answers a form decision on a stale If-Match with 409 and honours its Idempotency-Key', async () => {
    const { id, etag } = await registerWithoutForm('2026-08-03');
    expect(
      (await step(commune, id, 'addiction-determination', { determinedOn: '2026-08-04', facilityId: 'QN-TTYT-HL', result: 'ADDICTED' }, etag)).status,
    ).toBe(200);
    expect((await step(facility, id, 'form-decision', courtDecision('2026-08-10'), etag)).status).toBe(409);
    const first = await step(facility, id, 'form-decision', courtDecision('2026-08-10'), '"1"', { 'idempotency-key': 'court-07-2026' });
    const retry = await step(facility, id, 'form-decision', courtDecision('2026-08-10'), '"1"', { 'idempotency-key': 'court-07-2026' });
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.body).toEqual(first.body);
    expect(await eventTypes(id)).toEqual(['RehabCaseRegistered', 'AddictionDetermined', 'RehabFormDecided']);
  });

  it('keeps registration without a form to agencies that manage a form, in scope, with a registration date and no form fields', async () => {
    expect(
      (await call('POST', '/api/v1/rehab-cases', { token: police, body: { personId, source: 'POLICE_DETECTION', registeredOn: '2026-08-03' } })).status,
    ).toBe(403);
    expect(
      (await call('POST', '/api/v1/rehab-cases', { token: neighbour, body: { personId, source: 'POLICE_DETECTION', registeredOn: '2026-08-03' } })).status,
    ).toBe(403);
    const noDate = await call('POST', '/api/v1/rehab-cases', { token: commune, body: { personId, source: 'POLICE_DETECTION' } });
    expect(noDate.status).toBe(400);
    expect(JSON.stringify(noDate.body)).toContain('registeredOn');
    const stray = await call('POST', '/api/v1/rehab-cases', {
      token: commune,
      body: { personId, source: 'POLICE_DETECTION', registeredOn: '2026-08-03', termMonths: 12 },
    });
    expect(stray.status).toBe(400);
    expect(JSON.stringify(stray.body)).toContain('termMonths');
    const { id } = await registerWithoutForm('2026-08-03', facility);
    expect(await eventTypes(id)).toEqual(['RehabCaseRegistered']);
  });

  it('lets the residence commune, not another commune, start post-rehab management of a completed facility case', async () => {
    const { id, etag } = await registerWithoutForm('2022-03-10');
    expect(
      (await step(commune, id, 'addiction-determination', { determinedOn: '2022-03-11', facilityId: 'QN-TTYT-HL', result: 'ADDICTED' }, etag)).status,
    ).toBe(200);
    expect((await step(facility, id, 'form-decision', courtDecision('2022-03-20'), '"1"')).status).toBe(200);
    expect((await step(facility, id, 'start', { startedOn: '2022-03-25' }, '"2"')).status).toBe(200);
    // The per-step rule covers post-rehab management only: the commune cannot complete a facility stay.
    expect((await step(commune, id, 'completion', { completedOn: '2024-03-25' }, '"3"')).status).toBe(403);
    expect((await step(facility, id, 'completion', { completedOn: '2024-03-25' }, '"3"')).status).toBe(200);
    const management = {
      legalBasis: { decisionNo: '88/QĐ-UBND', decisionDate: '2024-03-28', issuedBy: 'COMMUNE_CHAIR' },
      startedOn: '2024-03-28',
      termMonths: 12,
    };
    expect((await step(neighbour, id, 'post-rehab-management', management, '"4"')).status).toBe(403);
    const started = await step(commune, id, 'post-rehab-management', management, '"4"');
    expect(started.status).toBe(200);
    expect((await call('GET', `/api/v1/rehab-cases/${id}`, { token: commune })).body).toMatchObject({
      status: 'POST_REHAB_MANAGEMENT',
      form: 'COMPULSORY_FACILITY',
    });
  });

  it('lets the health service register and manage a substitution-therapy case, which the commune cannot manage', async () => {
    const health = await token('22-HEALTH', ['caseworker'], ['22']);
    const body = {
      personId,
      source: 'SELF_DECLARATION',
      form: 'SUBSTITUTION_THERAPY',
      legalBasis: { decisionNo: '31/QĐ-CSĐT', decisionDate: '2026-08-03', issuedBy: 'TREATMENT_FACILITY' },
    };
    expect((await call('POST', '/api/v1/rehab-cases', { token: commune, body })).status).toBe(403);
    const created = await call('POST', '/api/v1/rehab-cases', { token: health, body });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await step(commune, id, 'start', { startedOn: '2026-08-05' }, '"1"')).status).toBe(403);
    expect((await step(health, id, 'start', { startedOn: '2026-08-05' }, '"1"')).status).toBe(200);
    expect((await call('GET', `/api/v1/rehab-cases/${id}`, { token: health })).body).toMatchObject({ status: 'IN_REHAB', form: 'SUBSTITUTION_THERAPY' });
  });

  it('documents the compulsory path and the form-decision route', async () => {
    const doc = (await (await fetch(`${cases.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/v1/rehab-cases/{id}/form-decision');
    const registration = JSON.stringify(doc.paths['/api/v1/rehab-cases']);
    expect(registration).toContain('Compulsory rehab is registered without a form');
    expect(registration).toContain('POLICE_DETECTION');
  });

  it('has a policy on every route', () => {
    expect(findUnguardedHandlers(cases.service.app, { policy: casesPolicy })).toEqual([]);
  });
});
