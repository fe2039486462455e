/**
 * Issue 10 §12 over real HTTP against real PostgreSQL: a break-glass grant opened with
 * POST /api/v1/break-glass lets its holder read the person and their rehab case (each read in the
 * person's access log with the grant's id), never write; the owning agency lists the grant; once
 * the grant has expired (the service's clock moved on, no sleeping) the reads are 403 again.
 */
import { signDevToken } from '@haidang/auth';
import { readAccessLog } from '@haidang/audit';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from './cases-service';

jest.setTimeout(120_000);

type Reply = { status: number; headers: Headers; body: Record<string, unknown> };

describe('break-glass grants honoured by reads', () => {
  let database: TestDatabase;
  let cases: CasesService;
  /** The service's clock runs this far ahead of the real one. */
  let offsetMs = 0;
  const token = (agency: string, roles: string[], units: string[], sub?: string) =>
    signDevToken({ agency, roles: roles as never, units, ...(sub === undefined ? {} : { sub }) });
  const call = async (method: string, path: string, options: { token: string; body?: unknown; headers?: Record<string, string> }): Promise<Reply> => {
    const response = await fetch(`${cases.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}`, ...(options.headers ?? {}) },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent', clock: () => new Date(Date.now() + offsetMs) });
  });
  afterAll(async () => {
    await cases?.stop();
    await database?.drop();
  });

  it('lets the holder of an open grant read the person and their case, logged with the grant id; writes stay 403; 403 again after expiry', async () => {
    const commune = await token('22-COMMUNE-06793', ['caseworker'], ['06793']);
    const registered = await call('POST', '/api/v1/persons', {
      token: commune,
      body: {
        fullName: 'Lý Văn Khẩn',
        dateOfBirth: '1988-02-03',
        sex: 'MALE',
        residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 7, khu 1' },
      },
    });
    expect(registered.status).toBe(201);
    const personId = registered.body.id as string;
    const opened = await call('POST', '/api/v1/rehab-cases', {
      token: commune,
      body: {
        personId,
        source: 'SELF_DECLARATION',
        form: 'VOLUNTARY_COMMUNITY',
        legalBasis: { decisionNo: '15/QĐ-UBND', decisionDate: '2026-08-03', issuedBy: 'COMMUNE_CHAIR' },
        termMonths: 6,
      },
    });
    expect(opened.status).toBe(201);
    const caseId = opened.body.id as string;

    // The police of another province: may read persons and cases, but not this province's.
    const outsider = await token('20-POLICE', ['caseworker'], ['20'], 'officer-20-police');
    const reads = [`/api/v1/persons/${personId}`, `/api/v1/rehab-cases/${caseId}`, `/api/v1/rehab-cases/${caseId}/history`];
    for (const path of reads) expect((await call('GET', path, { token: outsider })).status).toBe(403);

    const grant = await call('POST', '/api/v1/break-glass', {
      token: outsider,
      body: { subjectId: `Person-${personId}`, reason: 'Person detained in Lạng Sơn, needs methadone continuity', durationMinutes: 1 },
    });
    expect(grant.status).toBe(201);
    const grantId = grant.body.grantId as string;

    const person = await call('GET', `/api/v1/persons/${personId}`, { token: outsider });
    expect(person.status).toBe(200);
    expect(person.body.fullName).toBe('Lý Văn Khẩn');
    const rehabCase = await call('GET', `/api/v1/rehab-cases/${caseId}`, { token: outsider });
    expect(rehabCase.status).toBe(200);
    expect(rehabCase.body.personId).toBe(personId);
    expect((await call('GET', `/api/v1/rehab-cases/${caseId}/history`, { token: outsider })).status).toBe(200);

    // Each read through the grant is in the person's access log, marked with the grant.
    const log = (await readAccessLog(cases.store, personId)).filter((r) => r.agency === '20-POLICE');
    expect(log).toHaveLength(3);
    for (const record of log) expect(record).toEqual(expect.objectContaining({ purpose: 'break-glass', breakGlassGrantId: grantId, action: 'read' }));
    expect(log.map((r) => r.query?.['rehabCaseId'] ?? null)).toEqual([null, caseId, caseId]);
    // A read within the scope is not marked.
    expect((await call('GET', `/api/v1/persons/${personId}`, { token: commune })).status).toBe(200);
    const own = (await readAccessLog(cases.store, personId)).filter((r) => r.agency === '22-COMMUNE-06793');
    expect(own.at(-1)).toEqual(expect.objectContaining({ purpose: 'case-review' }));
    expect(own.at(-1)?.breakGlassGrantId).toBeUndefined();

    // Nothing is written through a grant.
    const before = Number(
      (await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name = $1`, [`RehabCase-${caseId}`])).rows[0]?.n,
    );
    const write = await call('POST', `/api/v1/rehab-cases/${caseId}/addiction-determination`, {
      token: outsider,
      body: { determinedOn: '2026-08-04', facilityId: 'QN-TTYT-HL', result: 'ADDICTED' },
      headers: { 'if-match': opened.headers.get('etag') ?? '"0"' },
    });
    expect(write.status).toBe(403);
    const after = Number(
      (await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name = $1`, [`RehabCase-${caseId}`])).rows[0]?.n,
    );
    expect(after).toBe(before);

    // The owning agency sees the grant.
    const owner = await token('22-COMMUNE-06793', ['supervisor'], ['06793']);
    const listed = await call('GET', '/api/v1/break-glass', { token: owner });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ grantId, subjectId: `Person-${personId}`, requestedBy: { sub: 'officer-20-police', agency: '20-POLICE' } }),
    ]);

    // Another principal of the same agency holds no grant.
    const colleague = await token('20-POLICE', ['caseworker'], ['20'], 'officer-20-other');
    expect((await call('GET', `/api/v1/persons/${personId}`, { token: colleague })).status).toBe(403);

    // A minute and a second later the grant has expired.
    offsetMs = 61_000;
    for (const path of reads) expect((await call('GET', path, { token: outsider })).status).toBe(403);
    expect((await readAccessLog(cases.store, personId)).filter((r) => r.agency === '20-POLICE')).toHaveLength(3);
  });
});
