import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { ENCRYPTED_PREFIX } from './cipher';
import { DataKeyUnwrapError, PersonalDataDecryptionError, SubjectErasedError, SubjectKeyMissingError, UnknownKeyEncryptionKeyError } from './errors';
import { KeyEncryptionKeys } from './keys';
import { piiMigrations } from './migrations/pii.migrations';
import { PersonalDataProtector } from './personal-data-protector';
import { ERASED } from './redact';

const kek = (id: string) => ({ id, key: randomBytes(32) });
const person = () => ({ fullName: `Đặng Thị Thu ${randomUUID().slice(0, 8)}`, phone: '0912345678', commune: '06793' });
const FIELDS = ['fullName', 'phone'] as const;

describe('PersonalDataProtector', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrations: piiMigrations });
  });
  afterAll(async () => db.drop());

  const protector = (keks: readonly { id: string; key: Buffer }[], cache?: { maxEntries?: number; ttlMs?: number }) =>
    new PersonalDataProtector({ pool: db.pool, keyEncryptionKeys: new KeyEncryptionKeys(keks), ...(cache ? { cache } : {}) });

  it('encrypts only the named fields, with one key per person made on first use', async () => {
    const k1 = kek('k1');
    const p = protector([k1]);
    const subject = `Person-${randomUUID()}`;
    const plain = person();
    const stored = await p.protect(subject, plain, FIELDS);
    expect(stored.commune).toBe('06793');
    expect(stored.fullName.startsWith(ENCRYPTED_PREFIX)).toBe(true);
    expect(stored.phone.startsWith(ENCRYPTED_PREFIX)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(plain.fullName);
    await p.protect(subject, person(), FIELDS);
    const { rows } = await db.pool.query('SELECT kek_id FROM pii_subject_keys WHERE subject_id = $1', [subject]);
    expect(rows).toEqual([{ kek_id: 'k1' }]);
    // A protector without the cached key (another replica) reads it back.
    expect(await protector([k1], { maxEntries: 0 }).reveal(subject, stored, FIELDS)).toEqual(plain);
    // Protecting twice leaves ciphertext alone.
    expect(await p.protect(subject, stored, FIELDS)).toEqual(stored);
  });

  it('makes exactly one key when many writers meet a new person at once', async () => {
    const k1 = kek('k1');
    const subject = `Person-${randomUUID()}`;
    const writers = [protector([k1]), protector([k1]), protector([k1])];
    const plain = person();
    const stored = await Promise.all(Array.from({ length: 12 }, (_, i) => (writers[i % 3] as PersonalDataProtector).protect(subject, plain, FIELDS)));
    const reader = protector([k1], { maxEntries: 0 });
    for (const record of stored) expect(await reader.reveal(subject, record, FIELDS)).toEqual(plain);
  });

  it('gets a key for writing in one round trip, for a new person, a known one not in memory and an erased one', async () => {
    const k1 = kek('k1');
    const queries = jest.spyOn(db.pool, 'query');
    try {
      const subject = `Person-${randomUUID()}`;
      const plain = person();
      queries.mockClear();
      const stored = await protector([k1]).protect(subject, plain, FIELDS);
      expect(queries).toHaveBeenCalledTimes(1);
      // Another replica, nothing in memory: the same statement finds the key made above and keeps it.
      const cold = protector([k1]);
      queries.mockClear();
      const again = await cold.protect(subject, plain, FIELDS);
      expect(queries).toHaveBeenCalledTimes(1);
      expect(await cold.reveal(subject, again, FIELDS)).toEqual(plain);
      expect(await cold.reveal(subject, stored, FIELDS)).toEqual(plain);
      expect(queries).toHaveBeenCalledTimes(1);
      const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM pii_subject_keys WHERE subject_id = $1', [subject]);
      expect(rows).toEqual([{ n: 1 }]);
      await cold.erase(subject, { by: 'dpo-1', reason: 'test' });
      queries.mockClear();
      await expect(protector([k1]).protect(subject, plain, FIELDS)).rejects.toBeInstanceOf(SubjectErasedError);
      expect(queries).toHaveBeenCalledTimes(1);
      expect(await protector([k1]).derivedSubjectKey(subject, 'test:purpose')).toBeUndefined();
    } finally {
      queries.mockRestore();
    }
  });

  it('refuses a ciphertext moved to another person or field, or tampered with', async () => {
    const p = protector([kek('k1')]);
    const a = `Person-${randomUUID()}`;
    const b = `Person-${randomUUID()}`;
    const storedA = await p.protect(a, person(), FIELDS);
    await p.protect(b, person(), FIELDS);
    await expect(p.reveal(b, storedA, FIELDS)).rejects.toBeInstanceOf(PersonalDataDecryptionError);
    await expect(p.reveal(a, { ...storedA, fullName: storedA.phone }, FIELDS)).rejects.toBeInstanceOf(PersonalDataDecryptionError);
    const flipped = storedA.fullName.slice(0, -2) + (storedA.fullName.endsWith('AA') ? 'AB' : 'AA');
    const error = await p.reveal(a, { ...storedA, fullName: flipped }, FIELDS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PersonalDataDecryptionError);
    expect((error as Error).message).not.toContain('Đặng');
    await expect(p.reveal(`Person-${randomUUID()}`, storedA, FIELDS)).rejects.toBeInstanceOf(SubjectKeyMissingError);
  });

  it('re-wraps every key under the active KEK and keeps data readable without the old one', async () => {
    // A database of its own: rewrapKeys() takes every key in the table.
    const own = await createTestDatabase({ migrations: piiMigrations });
    const protector = (keks: readonly { id: string; key: Buffer }[], cache?: { maxEntries?: number }) =>
      new PersonalDataProtector({ pool: own.pool, keyEncryptionKeys: new KeyEncryptionKeys(keks), ...(cache ? { cache } : {}) });
    try {
      const k1 = kek('k1');
      const k2 = kek('k2');
      const old = protector([k1]);
      const subjects = Array.from({ length: 7 }, () => `Person-${randomUUID()}`);
      const plain = subjects.map(() => person());
      const stored = await Promise.all(subjects.map((s, i) => old.protect(s, plain[i] as ReturnType<typeof person>, FIELDS)));
      const before = await own.pool.query<{ wrapped_key: Buffer }>('SELECT wrapped_key FROM pii_subject_keys WHERE subject_id = $1', [subjects[0]]);

      const rotating = protector([k2, k1]);
      expect(await rotating.rewrapKeys({ batchSize: 3 })).toBe(7);
      expect(await rotating.rewrapKeys()).toBe(0);

      const { rows } = await own.pool.query<{ kek_id: string; wrapped_key: Buffer }>(
        'SELECT kek_id, wrapped_key FROM pii_subject_keys WHERE subject_id = ANY($1)',
        [subjects],
      );
      expect(rows.map((r) => r.kek_id)).toEqual(subjects.map(() => 'k2'));
      expect(rows.find((r) => r.wrapped_key.equals(before.rows[0]?.wrapped_key as Buffer))).toBeUndefined();
      const onlyNew = protector([k2], { maxEntries: 0 });
      for (const [i, s] of subjects.entries()) expect(await onlyNew.reveal(s, stored[i] as Record<string, unknown>, FIELDS)).toEqual(plain[i]);
      // A KEK that is listed but is not the one that wrapped a key is reported, not silently skipped.
      await expect(protector([kek('k3'), { id: 'k2', key: randomBytes(32) }]).rewrapKeys()).rejects.toBeInstanceOf(DataKeyUnwrapError);
      await expect(protector([kek('k3')]).rewrapKeys()).rejects.toBeInstanceOf(UnknownKeyEncryptionKeyError);
    } finally {
      await own.drop();
    }
  });

  it('erases by destroying the key: reads show [erased], writes are refused, erasure is idempotent', async () => {
    const k1 = kek('k1');
    const p = protector([k1]);
    const subject = `Person-${randomUUID()}`;
    const stored = await p.protect(subject, person(), FIELDS);
    expect((await p.reveal(subject, stored, FIELDS)).fullName).not.toBe(ERASED); // key now cached
    expect(await p.isErased(subject)).toBe(false);

    const first = await p.erase(subject, { by: 'dpo-1', reason: 'Request 2026/17 under Decree 13/2023' });
    expect(first.alreadyErased).toBe(false);
    expect(await p.isErased(subject)).toBe(true);
    expect(await p.reveal(subject, stored, FIELDS)).toEqual({ ...stored, fullName: ERASED, phone: ERASED });
    await expect(p.protect(subject, person(), FIELDS)).rejects.toBeInstanceOf(SubjectErasedError);

    const second = await p.erase(subject, { by: 'dpo-2', reason: 'again' });
    expect(second).toEqual({ subjectId: subject, erasedAt: first.erasedAt, alreadyErased: true });
    const { rows } = await db.pool.query('SELECT kek_id, wrapped_key, erased_by, erasure_reason FROM pii_subject_keys WHERE subject_id = $1', [subject]);
    expect(rows).toEqual([{ kek_id: null, wrapped_key: null, erased_by: 'dpo-1', erasure_reason: 'Request 2026/17 under Decree 13/2023' }]);
  });

  it('records an erasure of a person it never saw, so no key is made for them later', async () => {
    const p = protector([kek('k1')]);
    const subject = `Person-${randomUUID()}`;
    expect((await p.erase(subject, { by: 'dpo-1', reason: 'court order' })).alreadyErased).toBe(false);
    await expect(p.protect(subject, person(), FIELDS)).rejects.toBeInstanceOf(SubjectErasedError);
  });
  it('derives a per-purpose key from the person’s data key: the same on every replica, another per purpose and person, none after erasure', async () => {
    const k1 = kek('k1');
    const a = `Person-${randomUUID()}`;
    const b = `Person-${randomUUID()}`;
    const key = (await protector([k1]).derivedSubjectKey(a, 'cases:request-fingerprint:v1')) as Buffer;
    expect(key).toHaveLength(32);
    expect(await protector([k1], { maxEntries: 0 }).derivedSubjectKey(a, 'cases:request-fingerprint:v1')).toEqual(key);
    expect(await protector([k1]).derivedSubjectKey(a, 'referrals:request-fingerprint:v1')).not.toEqual(key);
    expect(await protector([k1]).derivedSubjectKey(b, 'cases:request-fingerprint:v1')).not.toEqual(key);
    await protector([k1]).erase(a, { by: 'dpo-1', reason: 'DP-1' });
    expect(await protector([k1]).derivedSubjectKey(a, 'cases:request-fingerprint:v1')).toBeUndefined();
    await expect(protector([k1]).derivedSubjectKey(a, 'Not A Purpose')).rejects.toThrow('purpose');
  });
});
