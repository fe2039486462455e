/**
 * Issue 10 §1 and §5 over real HTTP against real PostgreSQL: registration tells nothing about
 * persons outside the caller's scope (same answer with or without an outside match; the match
 * becomes a review task of the province that holds it, in the access log), registration has a
 * budget per principal, and after erasure no keyed hash of the person's ID or name is left in the
 * database (pg_dump).
 */
import { execFileSync } from 'node:child_process';
import { signDevToken } from '@haidang/auth';
import { readAccessLog } from '@haidang/audit';
import { createTestDatabase, type TestDatabase, waitFor } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from '../cases-service';

jest.setTimeout(180_000);

describe('registration privacy', () => {
  let database: TestDatabase;
  let cases: CasesService;
  const token = (agency: string, roles: string[], units: string[], sub?: string) =>
    signDevToken({ agency, roles: roles as never, units, ...(sub === undefined ? {} : { sub }) });
  const call = async (method: string, path: string, options: { token: string; body?: unknown; headers?: Record<string, string> }) => {
    const response = await fetch(`${cases.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}`, ...(options.headers ?? {}) },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const person = (over: Record<string, unknown> = {}) => ({
    fullName: 'Đỗ Văn Hải',
    personalId: '022090007777',
    dateOfBirth: '1990-03-04',
    sex: 'MALE',
    residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 1, khu 2' },
    ...over,
  });
  const inProvince20 = (over: Record<string, unknown> = {}) => person({ residence: { provinceCode: '20', communeCode: '05977', address: 'Thôn 4' }, ...over });
  /** What a caller can tell apart: status, headers it relies on, the fields and every value but the new id. */
  const observable = (r: { status: number; headers: Headers; body: Record<string, unknown> }) => ({
    status: r.status,
    etag: r.headers.get('etag'),
    fields: Object.keys(r.body).sort(),
    body: { ...r.body, id: typeof r.body.id },
  });

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent' });
  });
  afterAll(async () => {
    await cases?.stop();
    await database?.drop();
  });

  it('answers a registration that matches a person outside the scope exactly like one that matches nobody, and opens a review for the province of the match', async () => {
    const quangNinh = await token('22-COMMUNE-06793', ['caseworker'], ['06793']);
    const held = await call('POST', '/api/v1/persons', { token: quangNinh, body: person() });
    expect(held.status).toBe(201);
    const heldId = held.body.id as string;
    await waitFor(async () => (await call('GET', '/api/v1/persons?idNumber=022090007777', { token: quangNinh })).body.total === 1, { timeoutMs: 30_000 });

    const langSon = await token('20-COMMUNE-05977', ['caseworker'], ['05977']);
    const sameId = await call('POST', '/api/v1/persons', { token: langSon, body: inProvince20() });
    const sameNameAndYear = await call('POST', '/api/v1/persons', { token: langSon, body: inProvince20({ personalId: undefined }) });
    const nobody = await call('POST', '/api/v1/persons', { token: langSon, body: inProvince20({ fullName: 'Vi Văn Khác', personalId: '020090001111' }) });
    // Today's code answered possibleDuplicates: [{ personId: <the Quảng Ninh person>, … }].
    expect(JSON.stringify([sameId.body, sameNameAndYear.body])).not.toContain(heldId);
    expect(observable(sameId)).toEqual(observable(nobody));
    expect(sameId.body.possibleDuplicates).toEqual([]);
    // Its one listed match is the Lạng Sơn person registered just before (in scope), never the other.
    expect(sameNameAndYear.body.possibleDuplicates).toEqual([{ personId: sameId.body.id, reasons: ['same-name-close-birth-year'] }]);

    // The match goes to the data-protection officer of Quảng Ninh, who may read both; not to Lạng Sơn's.
    const reviewer = await token('22-POLICE', ['data-protection'], ['22']);
    const reviews = await call('GET', '/api/v1/duplicate-reviews', { token: reviewer });
    expect(reviews.status).toBe(200);
    expect(reviews.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          registeredPersonId: sameId.body.id,
          matchedPersonId: heldId,
          provinceCode: '22',
          reasons: ['same-personal-id', 'same-name-close-birth-year'],
        }),
        expect.objectContaining({ registeredPersonId: sameNameAndYear.body.id, matchedPersonId: heldId, reasons: ['same-name-close-birth-year'] }),
      ]),
    );
    expect(reviews.body.items).toHaveLength(2);
    expect(JSON.stringify(reviews.body)).not.toContain('Hải');
    const otherProvince = await call('GET', '/api/v1/duplicate-reviews', { token: await token('20-POLICE', ['data-protection'], ['20']) });
    expect(otherProvince.body.items).toEqual([]);
    expect((await call('GET', '/api/v1/duplicate-reviews', { token: langSon })).status).toBe(403);
    // The reveal made to compare is in the matched person's access log.
    expect(await readAccessLog(cases.store, heldId)).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'read', purpose: 'duplicate-review', agency: '20-COMMUNE-05977' })]),
    );

    // Inside the scope, matches are still listed.
    const again = await call('POST', '/api/v1/persons', { token: quangNinh, body: person({ personalId: undefined, dateOfBirth: '1991-01-01' }) });
    expect(again.body.possibleDuplicates).toEqual([{ personId: heldId, reasons: ['same-name-close-birth-year'] }]);
    expect(again.body.outsideScope).toBe(nobody.body.outsideScope);
  });

  it('gives registration a budget per principal: past it 429 with Retry-After, appending nothing; another principal is not affected', async () => {
    process.env['RATE_LIMIT_PERSON_REGISTRATIONS'] = '2';
    try {
      const busy = await token('22-COMMUNE-06793', ['caseworker'], ['06793'], 'officer-busy');
      const other = await token('22-COMMUNE-06793', ['caseworker'], ['06793'], 'officer-other');
      const body = (n: number) => person({ fullName: `Người Thử ${'ABCDEFGH'[n] ?? 'Z'}`, personalId: undefined });
      expect((await call('POST', '/api/v1/persons', { token: busy, body: body(0) })).status).toBe(201);
      expect((await call('POST', '/api/v1/persons', { token: busy, body: body(1) })).status).toBe(201);
      const count = async () =>
        Number((await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_name LIKE 'Person-%'`)).rows[0]?.n);
      const before = await count();
      const refused = await call('POST', '/api/v1/persons', { token: busy, body: body(2) });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await count()).toBe(before);
      expect((await call('POST', '/api/v1/persons', { token: other, body: body(3) })).status).toBe(201);
    } finally {
      delete process.env['RATE_LIMIT_PERSON_REGISTRATIONS'];
    }
  });

  it('leaves no keyed hash of an erased person’s ID or name anywhere in the database (pg_dump), and none in the events ever', async () => {
    const commune = await token('22-COMMUNE-06793', ['caseworker'], ['06793']);
    const created = await call('POST', '/api/v1/persons', {
      token: commune,
      body: person({ fullName: 'Bùi Thị Xoá', personalId: '022195003333', dateOfBirth: '1995-06-07', sex: 'FEMALE' }),
    });
    const id = created.body.id as string;
    const [keys] = (await database.pool.query(`SELECT name_index, personal_id_index FROM person_search_keys WHERE person_id = $1`, [id])).rows as {
      name_index: string;
      personal_id_index: string;
    }[];
    expect(keys?.personal_id_index).toMatch(/^[0-9a-f]{64}$/);
    const hashes = [keys?.name_index as string, keys?.personal_id_index as string];
    const dump = () => execFileSync('pg_dump', ['--data-only', database.url], { maxBuffer: 512 * 1024 * 1024 }).toString('utf8');
    // The dump can find them while the person exists (else the check below could not fail) …
    expect(hashes.every((h) => dump().includes(h))).toBe(true);
    // … but never in the immutable log: today's PersonRegistered carried both.
    const events = (await database.pool.query(`SELECT data::text AS data FROM es_events WHERE stream_name = $1`, [`Person-${id}`])).rows as { data: string }[];
    expect(events.some((e) => hashes.some((h) => e.data.includes(h)))).toBe(false);

    await waitFor(async () => (await call('GET', '/api/v1/persons?idNumber=022195003333', { token: commune })).body.total === 1, { timeoutMs: 30_000 });
    const dp = await token('22-POLICE', ['data-protection'], ['22']);
    const erased = await call('POST', `/api/v1/persons/${id}/erasure`, { token: dp, body: { reference: 'DP-2026-010' }, headers: { 'if-match': '"0"' } });
    expect(erased.status).toBe(200);
    await waitFor(async () => (await call('GET', '/api/v1/persons?idNumber=022195003333', { token: commune })).body.total === 0, { timeoutMs: 30_000 });
    const after = dump();
    for (const hash of hashes) expect(after.includes(hash)).toBe(false);
  });
});
