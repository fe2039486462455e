/**
 * Issue 10 §5, the hashes the log keeps: `npm run rotate-index-key -- --service cases` re-keys
 * person_search_keys from key A to key B with the service stopped. Afterwards lookups by citizen ID
 * find the living person under key B, an erased person has no row, and no key-A hash is left in the
 * database (pg_dump). Real PostgreSQL, the real command.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { signDevToken } from '@haidang/auth';
import { PersonalIdIndex } from '@haidang/pii';
import { createTestDatabase, type TestDatabase, waitFor } from '@haidang/testing';
import { casesMigrations, startCasesService, type CasesService } from './cases-service';
import { NameIndex } from './person/person-search-keys';

jest.setTimeout(240_000);

const ROOT = join(__dirname, '..', '..', '..');

describe('rotating PERSONAL_ID_INDEX_KEY', () => {
  let database: TestDatabase;
  let cases: CasesService | undefined;
  const previousKey = process.env['PERSONAL_ID_INDEX_KEY'];
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  const start = async (key: Buffer) => {
    process.env['PERSONAL_ID_INDEX_KEY'] = key.toString('base64');
    cases = await startCasesService({ databaseUrl: database.url, port: 0, logLevel: 'silent' });
    return cases;
  };
  const call = async (method: string, path: string, options: { token: string; body?: unknown; headers?: Record<string, string> }) => {
    const response = await fetch(`${cases?.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}`, ...(options.headers ?? {}) },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const rotate = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['-r', '@swc-node/register', 'tools/rotate-index-key.ts', '--service', 'cases', '--database-url', database.url], {
      cwd: ROOT,
      env: { ...process.env, PERSONAL_ID_INDEX_KEY: '', PERSONAL_ID_INDEX_KEY_NEW: '', ...env },
      encoding: 'utf8',
    });

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: casesMigrations });
  });
  afterAll(async () => {
    await cases?.stop();
    await database?.drop();
    if (previousKey === undefined) delete process.env['PERSONAL_ID_INDEX_KEY'];
    else process.env['PERSONAL_ID_INDEX_KEY'] = previousKey;
  });

  it('re-keys the living, drops the erased, and leaves no key-A hash anywhere', async () => {
    await start(keyA);
    const commune = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
    const person = (fullName: string, personalId: string | undefined, dateOfBirth: string) => ({
      fullName,
      ...(personalId === undefined ? {} : { personalId }),
      dateOfBirth,
      sex: 'MALE',
      residence: { provinceCode: '22', communeCode: '06793', address: 'Tổ 5, khu 8' },
    });
    const living = { name: 'Phùng Văn Sống', id: '022087001212' };
    const erased = { name: 'Phùng Văn Xoá', id: '022086003434' };
    const livingId = (await call('POST', '/api/v1/persons', { token: commune, body: person(living.name, living.id, '1987-01-01') })).body.id as string;
    const erasedId = (await call('POST', '/api/v1/persons', { token: commune, body: person(erased.name, erased.id, '1986-02-02') })).body.id as string;
    const noId = (await call('POST', '/api/v1/persons', { token: commune, body: person('Phùng Văn Không', undefined, '1985-03-03') })).body.id as string;
    const found = async (idNumber: string) => (await call('GET', `/api/v1/persons?idNumber=${idNumber}`, { token: commune })).body.total;
    /** The lookup the search runs, by keyed hash of the citizen ID. */
    const rowsByIdHash = async (hash: string) =>
      (await database.pool.query<{ person_id: string }>(`SELECT person_id FROM person_search_keys WHERE personal_id_index = $1`, [hash])).rows.map(
        (r) => r.person_id,
      );
    expect(await rowsByIdHash(new PersonalIdIndex(keyA).blindIndex(living.id))).toEqual([livingId]);
    const dp = await signDevToken({ agency: '22-POLICE', roles: ['data-protection'], units: ['22'] });
    expect(
      (await call('POST', `/api/v1/persons/${erasedId}/erasure`, { token: dp, body: { reference: 'DP-2026-090' }, headers: { 'if-match': '"0"' } })).status,
    ).toBe(200);
    await cases?.stop();
    cases = undefined;

    const underA = { id: new PersonalIdIndex(keyA), name: new NameIndex(keyA) };
    const aHashes = [underA.id.blindIndex(living.id), underA.name.of(living.name), underA.id.blindIndex(erased.id), underA.name.of(erased.name)] as string[];
    // What a process stopped between the key's shredding and the row's deletion would leave, and a
    // row no registration finished: the rotation drops both.
    await database.pool.query(`INSERT INTO person_search_keys (person_id, name_index, personal_id_index) VALUES ($1, $2, $3), ($4, $5, NULL)`, [
      erasedId,
      aHashes[3],
      aHashes[2],
      randomUUID(),
      underA.name.of('Người Bỏ Dở'),
    ]);
    const dump = () => execFileSync('pg_dump', ['--data-only', database.url], { maxBuffer: 512 * 1024 * 1024 }).toString('utf8');
    // The scan can see key-A hashes before (else the check after could not fail).
    expect(aHashes.every((hash) => dump().includes(hash))).toBe(true);

    // Refused without the new key, changing nothing.
    const refused = rotate({ PERSONAL_ID_INDEX_KEY: keyA.toString('base64') });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('PERSONAL_ID_INDEX_KEY_NEW');
    expect(refused.stderr).not.toContain(keyA.toString('base64'));

    const run = rotate({ PERSONAL_ID_INDEX_KEY: keyA.toString('base64'), PERSONAL_ID_INDEX_KEY_NEW: keyB.toString('base64') });
    expect(run.stderr).not.toContain(keyB.toString('base64'));
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ service: 'cases', rehashed: 2, dropped: 2, unexpected: 0 });

    const rows = (await database.pool.query<{ person_id: string }>(`SELECT person_id FROM person_search_keys ORDER BY person_id`)).rows.map((r) => r.person_id);
    expect(rows).toEqual([livingId, noId].sort());
    const after = dump();
    for (const hash of aHashes) expect(after.includes(hash)).toBe(false);
    expect(after).toContain(new PersonalIdIndex(keyB).blindIndex(living.id));

    expect(await rowsByIdHash(new PersonalIdIndex(keyB).blindIndex(living.id))).toEqual([livingId]);
    expect(await rowsByIdHash(new PersonalIdIndex(keyB).blindIndex(erased.id))).toEqual([]);

    // Started with key B, the service finds the living person by citizen ID, and not the erased one.
    await start(keyB);
    await waitFor(async () => (await found(living.id)) === 1, { timeoutMs: 30_000 });
    expect(await found(erased.id)).toBe(0);
    expect((await call('GET', `/api/v1/persons?q=${encodeURIComponent('phung van khong')}`, { token: commune })).body.total).toBe(1);
  });
});
