/**
 * The facts a term depends on are the service's to derive, not the caller's to send: the age group
 * on the decision date (from the person's encrypted date of birth) and the courses of rehab the
 * person started before (Law 120/2025: a later course may last longer).
 */
import { signDevToken } from '@haidang/auth';
import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from '../cases-service';

jest.setTimeout(90_000);

type Reply = { status: number; headers: Headers; body: Record<string, unknown> };

describe('legal terms from derived facts', () => {
  let database: TestDatabase;
  let cases: CasesService;
  let commune: string;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const response = await fetch(`${cases.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${commune}`, ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const person = async (dateOfBirth: string): Promise<string> => {
    const created = await call('POST', '/api/v1/persons', {
      fullName: 'Người Thử',
      dateOfBirth,
      sex: 'MALE',
      residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 1' },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const voluntary = (personId: string, decisionDate: string, termMonths: number, over: Record<string, unknown> = {}) =>
    call('POST', '/api/v1/rehab-cases', {
      personId,
      source: 'SELF_DECLARATION',
      form: 'VOLUNTARY_COMMUNITY',
      legalBasis: { decisionNo: '15/QĐ-UBND', decisionDate, issuedBy: 'COMMUNE_CHAIR' },
      termMonths,
      ...over,
    });
  const recorded = async (caseId: string, type: string) =>
    (
      await database.pool.query<{ data: Record<string, unknown> }>('SELECT data FROM es_events WHERE stream_name = $1 AND event_type = $2', [
        `RehabCase-${caseId}`,
        type,
      ])
    ).rows[0]?.data;

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent', natsUrl: '' });
    commune = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
  });
  afterAll(async () => {
    await cases?.stop();
    await database?.drop();
  });

  it('applies the minors’ range to a person under 18 on the decision date, whatever the caller would like', async () => {
    const minor = await person('2010-02-01');
    const tooLong = await voluntary(minor, '2026-08-03', 18);
    expect(tooLong.status).toBe(422);
    expect(tooLong.body).toMatchObject({ type: 'urn:haidang:problem:term-out-of-range' });
    expect(String(tooLong.body.detail)).toContain('6–12 months');
    const ok = await voluntary(minor, '2026-08-03', 12);
    expect(ok.status).toBe(201);
    expect(await recorded(ok.body.id as string, 'RehabFormDecided')).toMatchObject({ ageGroup: 'MINOR', termMonths: 12 });
    // The age group is not the caller's to send.
    const sent = await voluntary(minor, '2026-08-03', 24, { ageGroup: 'ADULT' });
    expect(sent.status).toBe(400);
    expect(JSON.stringify(sent.body)).toContain('ageGroup');
  });

  it('takes the age on the decision date: the same person is an adult for a decision after their 18th birthday', async () => {
    const turning = await person('2008-08-10');
    expect((await voluntary(turning, '2026-08-09', 18)).status).toBe(422);
    const adult = await voluntary(turning, '2026-08-10', 18);
    expect(adult.status).toBe(201);
    expect(await recorded(adult.body.id as string, 'RehabFormDecided')).toMatchObject({ ageGroup: 'ADULT' });
  });

  it('counts the courses a person started before, so a later course may take the longer range of Law 120/2025', async () => {
    const adult = await person('1985-06-01');
    // First course: 2022, started and completed (Law 73/2021).
    const first = await voluntary(adult, '2022-03-10', 6);
    expect(first.status).toBe(201);
    const firstId = first.body.id as string;
    const started = await call('POST', `/api/v1/rehab-cases/${firstId}/start`, { startedOn: '2022-03-15' }, { 'if-match': '"1"' });
    expect(started.status).toBe(200);
    expect(await recorded(firstId, 'RehabCaseRegistered')).toMatchObject({ priorCourses: 0 });
    // A first course under Law 120/2025 is at most 24 months, a later one 36.
    const newcomer = await person('1986-01-01');
    expect((await voluntary(newcomer, '2026-08-03', 30)).status).toBe(422);
    // The count comes from the read model: wait until it shows the first course started.
    await waitFor(async () => (await call('GET', `/api/v1/rehab-cases?communeCode=06793&status=IN_REHAB`)).body.total !== 0, { timeoutMs: 10_000 });
    const later = await voluntary(adult, '2026-08-03', 30);
    expect(later.status).toBe(201);
    expect(await recorded(later.body.id as string, 'RehabCaseRegistered')).toMatchObject({ priorCourses: 1 });
  });

  it('refuses to decide a term for an erased person, whose age can no longer be read', async () => {
    const erasedId = await person('1990-01-01');
    const dpo = await signDevToken({ agency: '22-POLICE', roles: ['data-protection'], units: ['22'] });
    const erased = await fetch(`${cases.url}/api/v1/persons/${erasedId}/erasure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${dpo}`, 'if-match': '"0"' },
      body: JSON.stringify({ reference: 'DP-2026-004' }),
    });
    expect(erased.status).toBeLessThan(300);
    const refused = await voluntary(erasedId, '2026-08-03', 6);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ type: 'urn:haidang:problem:age-unknown' });
  });

  it('answers a retried registration with its first result even after the derived course count moved', async () => {
    const adult = await person('1984-02-02');
    const key = { 'idempotency-key': 'register-case-retry-0001' };
    const first = await call(
      'POST',
      '/api/v1/rehab-cases',
      {
        personId: adult,
        source: 'SELF_DECLARATION',
        form: 'VOLUNTARY_COMMUNITY',
        legalBasis: { decisionNo: '30/QĐ-UBND', decisionDate: '2026-08-03', issuedBy: 'COMMUNE_CHAIR' },
        termMonths: 12,
      },
      key,
    );
    expect(first.status).toBe(201);
    // Meanwhile another course of the same person starts: a fresh decision would count one earlier course.
    const other = await voluntary(adult, '2022-03-10', 6);
    expect((await call('POST', `/api/v1/rehab-cases/${other.body.id as string}/start`, { startedOn: '2022-03-15' }, { 'if-match': '"1"' })).status).toBe(200);
    const otherId = other.body.id as string;
    await waitFor(
      async () => ((await call('GET', `/api/v1/rehab-cases?communeCode=06793&status=IN_REHAB`)).body.items as { id: string }[]).some((c) => c.id === otherId),
      { timeoutMs: 10_000 },
    );
    const retried = await call(
      'POST',
      '/api/v1/rehab-cases',
      {
        personId: adult,
        source: 'SELF_DECLARATION',
        form: 'VOLUNTARY_COMMUNITY',
        legalBasis: { decisionNo: '30/QĐ-UBND', decisionDate: '2026-08-03', issuedBy: 'COMMUNE_CHAIR' },
        termMonths: 12,
      },
      key,
    );
    expect([retried.status, retried.body]).toEqual([201, first.body]);
    expect(await recorded(first.body.id as string, 'RehabCaseRegistered')).toMatchObject({ priorCourses: 0 });
  });
});
