/**
 * Issue 10: the idempotency fingerprint of a registration (a keyed hash over a request holding a
 * citizen ID and a name, kept in es_idempotency_keys for good) is keyed with a key derived from
 * the person's own data key, so erasure makes it untestable; a retry still replays. Real HTTP,
 * real PostgreSQL.
 */
import { createHash, createHmac } from 'node:crypto';
import { signDevToken } from '@haidang/auth';
import { canonicalJson } from '@haidang/event-store';
import { loadPiiKeys } from '@haidang/pii';
import { RequestFingerprint } from '@haidang/service-kit';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from '../cases-service';

jest.setTimeout(120_000);

describe('the idempotency fingerprint of a registration', () => {
  let database: TestDatabase;
  let cases: CasesService;
  const call = async (method: string, path: string, options: { token: string; body?: unknown; headers?: Record<string, string> }) => {
    const response = await fetch(`${cases.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}`, ...(options.headers ?? {}) },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  /** What the store keeps for a fingerprint (PostgresEventStore): a hash of it with the stream. */
  const storedHashOf = (stream: string, fingerprint: string) => createHash('sha256').update(`fingerprint\u0000${stream}\u0000${fingerprint}`).digest('hex');

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent' });
  });
  afterAll(async () => {
    await cases?.stop();
    await database?.drop();
  });

  it('is keyed by the person: a retry replays, and after erasure the service’s fingerprint key cannot recompute it', async () => {
    const commune = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
    const body = {
      fullName: 'Trịnh Thị Vân',
      personalId: '022194006666',
      dateOfBirth: '1994-07-08',
      sex: 'FEMALE',
      residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 4, khu 6' },
    };
    const headers = { 'idempotency-key': 'register-trinh-thi-van-1' };
    const first = await call('POST', '/api/v1/persons', { token: commune, body, headers });
    expect(first.status).toBe(201);
    const id = first.body.id as string;
    const stream = `Person-${id}`;
    const retry = await call('POST', '/api/v1/persons', { token: commune, body, headers });
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(id);
    expect((await call('POST', '/api/v1/persons', { token: commune, body: { ...body, fullName: 'Trịnh Thị Khác' }, headers })).status).toBe(422);

    const [row] = (
      await database.pool.query<{ request_hash: string }>(`SELECT request_hash FROM es_idempotency_keys WHERE scope = $1 AND key = $2`, [
        '22-COMMUNE-06793',
        headers['idempotency-key'],
      ])
    ).rows;
    const stored = row?.request_hash as string;
    expect(stored).toMatch(/^[0-9a-f]{64}$/);

    const request = { stream, expected: 'no_stream', request: { route: 'register-person', body } };
    // Today's fingerprint: HMAC under the service's key, which outlives every erasure.
    const serviceKeyed = storedHashOf(stream, new RequestFingerprint(loadPiiKeys().personalIdIndexKey, 'cases').of(request));
    // While the person exists, their key recomputes it (so the comparison below could fail).
    const personKey = (await cases.protector.derivedSubjectKey(id, 'cases:request-fingerprint:v1')) as Buffer;
    expect(stored).toBe(storedHashOf(stream, `s1:${createHmac('sha256', personKey).update(canonicalJson(request), 'utf8').digest('hex')}`));
    expect(stored).not.toBe(serviceKeyed);
    const dp = await signDevToken({ agency: '22-POLICE', roles: ['data-protection'], units: ['22'] });
    const erased = await call('POST', `/api/v1/persons/${id}/erasure`, { token: dp, body: { reference: 'DP-2026-077' }, headers: { 'if-match': '"0"' } });
    expect(erased.status).toBe(200);
    // The person's key is gone: nothing derives the fingerprint's key any more.
    expect(await cases.protector.derivedSubjectKey(id, 'cases:request-fingerprint:v1')).toBeUndefined();
    const [after] = (
      await database.pool.query<{ request_hash: string }>(`SELECT request_hash FROM es_idempotency_keys WHERE key = $1`, [headers['idempotency-key']])
    ).rows;
    expect(after?.request_hash).toBe(stored);
    expect(after?.request_hash).not.toBe(serviceKeyed);
  });

  it('keeps the service key for a request without a person', () => {
    const fingerprint = new RequestFingerprint(Buffer.alloc(32, 7), 'cases');
    const keys = { derivedSubjectKey: async () => Buffer.alloc(32, 9) };
    return Promise.all([fingerprint.forSubject(null, keys, { a: 1 }), fingerprint.forSubject('p1', keys, { a: 1 })]).then(([none, person]) => {
      expect(none).toBe(fingerprint.of({ a: 1 }));
      expect(person).not.toBe(fingerprint.of({ a: 1 }));
      expect(person.startsWith('s1:')).toBe(true);
    });
  });
});
