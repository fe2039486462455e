import { hkdfSync } from 'node:crypto';
import type { Pool } from 'pg';
import { decryptField, encryptField, generateDataKey, isEncryptedValue, unwrapDataKey, wrapDataKey } from './cipher';
import { DataKeyUnwrapError, InvalidPersonalDataInputError, PersonalDataDecryptionError, SubjectErasedError, SubjectKeyMissingError } from './errors';
import { DataKeyCache } from './key-cache';
import type { KeyEncryptionKeys } from './keys';
import { ERASED, type Erased } from './redact';

/** The personal fields of a person, by the names events use for them (invariant 6). */
export const PERSONAL_FIELDS = ['fullName', 'personalId', 'dateOfBirth', 'address', 'phone', 'photoRefs'] as const;

export interface PersonalDataProtectorOptions {
  /** The service's own database, holding `pii_subject_keys` (see `piiMigrations`). */
  readonly pool: Pool;
  readonly keyEncryptionKeys: KeyEncryptionKeys;
  /** Unwrapped keys kept in memory: default 10 000 persons for 5 minutes. */
  readonly cache?: { readonly maxEntries?: number; readonly ttlMs?: number };
  /** Clock for the cache only (tests). */
  readonly now?: () => number;
}

export interface ErasureRequest {
  /** Who decided the erasure (a principal `sub`). */
  readonly by: string;
  /** The legal basis or request reference; free text, so it must not itself name the person. */
  readonly reason: string;
}

export interface ErasureResult {
  readonly subjectId: string;
  readonly erasedAt: Date;
  /** True when the key had already been destroyed by an earlier call (nothing changed). */
  readonly alreadyErased: boolean;
}

/** Protected fields become `pii:v1:…` strings; null and absent stay as they are. */
export type ProtectedRecord<T, K extends keyof T> = Omit<T, K> & { [P in K]: string | Extract<T[P], null | undefined> };
export type RevealedRecord<T, K extends keyof T> = Omit<T, K> & { [P in K]: T[P] | Erased };

const SUBJECT_ID = /^[A-Za-z0-9._:-]{1,200}$/;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const KEY_PURPOSE = /^[a-z][a-z0-9:._-]{0,99}$/;
const REWRAP_BATCH = 500;

interface KeyRow {
  kek_id: string | null;
  wrapped_key: Buffer | null;
  erased_at: Date | null;
}

type KeyLookup = { readonly state: 'live'; readonly key: Buffer } | { readonly state: 'erased' } | { readonly state: 'absent' };

/**
 * Encrypts a person's personal fields inside event data with that person's own data key
 * (AES-256-GCM), wraps the key with the active KEK, and shreds it on erasure. Never logs; errors
 * carry ids and field names only.
 */
export class PersonalDataProtector {
  private readonly pool: Pool;
  private readonly keks: KeyEncryptionKeys;
  private readonly cache: DataKeyCache;
  /** Bumped by every erase: a lookup that raced with one must not cache the key it read. */
  private erasures = 0;

  constructor(options: PersonalDataProtectorOptions) {
    this.pool = options.pool;
    this.keks = options.keyEncryptionKeys;
    this.cache = new DataKeyCache(options.cache?.maxEntries ?? 10_000, options.cache?.ttlMs ?? 5 * 60_000, options.now);
  }

  /**
   * A copy of `record` with `fieldNames` encrypted for `subjectId`; makes the person's key on first
   * use. Values already encrypted are kept (so protecting twice is harmless). Refuses an erased person.
   */
  async protect<T extends Record<string, unknown>, K extends keyof T & string>(
    subjectId: string,
    record: T,
    fieldNames: readonly K[],
  ): Promise<ProtectedRecord<T, K>> {
    checkInput(subjectId, fieldNames);
    const copy: Record<string, unknown> = { ...record };
    const toEncrypt = fieldNames.filter((f) => copy[f] !== undefined && copy[f] !== null && !isEncryptedValue(copy[f]));
    if (toEncrypt.length > 0) {
      const key = await this.keyForWrite(subjectId);
      for (const field of toEncrypt) copy[field] = encryptField(key, subjectId, field, copy[field]);
    }
    return copy as ProtectedRecord<T, K>;
  }

  /**
   * A copy of `record` with `fieldNames` decrypted, or `[erased]` when the person's key was
   * destroyed. Plain values (data written before encryption) pass through. Throws
   * `PersonalDataDecryptionError` for a tampered or moved ciphertext.
   */
  async reveal<T extends Record<string, unknown>, K extends keyof T & string = keyof T & string>(
    subjectId: string,
    record: Readonly<Record<string, unknown>>,
    fieldNames: readonly K[],
  ): Promise<RevealedRecord<T, K>> {
    checkInput(subjectId, fieldNames);
    const copy: Record<string, unknown> = { ...record };
    const encrypted = fieldNames.filter((f) => isEncryptedValue(copy[f]));
    if (encrypted.length > 0) {
      const lookup = await this.lookup(subjectId);
      if (lookup.state === 'absent') throw new SubjectKeyMissingError(subjectId);
      for (const field of encrypted) {
        if (lookup.state === 'erased') {
          copy[field] = ERASED;
          continue;
        }
        try {
          copy[field] = decryptField(lookup.key, subjectId, field, copy[field] as string);
        } catch {
          throw new PersonalDataDecryptionError(subjectId, field);
        }
      }
    }
    return copy as RevealedRecord<T, K>;
  }

  /**
   * Crypto-shredding: destroys the person's wrapped key (the row keeps who, when and why), so every
   * ciphertext about them, in every event and backup of the log, becomes unreadable. Idempotent; a
   * person never seen before is recorded as erased so that no key is made for them later.
   * Other replicas may still hold the key in memory for up to the cache TTL.
   */
  async erase(subjectId: string, request: ErasureRequest): Promise<ErasureResult> {
    checkInput(subjectId, []);
    const by = request.by.trim();
    const reason = request.reason.trim();
    if (by.length === 0 || by.length > 200) throw new InvalidPersonalDataInputError('erase: `by` must be 1–200 characters');
    if (reason.length === 0 || reason.length > 1000) throw new InvalidPersonalDataInputError('erase: `reason` must be 1–1000 characters');
    this.erasures++;
    this.cache.evict(subjectId);
    const { rows } = await this.pool.query<{ erased_at: Date }>(
      `INSERT INTO pii_subject_keys (subject_id, kek_id, wrapped_key, erased_at, erased_by, erasure_reason)
       VALUES ($1, NULL, NULL, now(), $2, $3)
       ON CONFLICT (subject_id) DO UPDATE
         SET kek_id = NULL, wrapped_key = NULL, erased_at = now(), erased_by = EXCLUDED.erased_by, erasure_reason = EXCLUDED.erasure_reason
         WHERE pii_subject_keys.erased_at IS NULL
       RETURNING erased_at`,
      [subjectId, by, reason],
    );
    this.erasures++;
    this.cache.evict(subjectId);
    if (rows[0]) return { subjectId, erasedAt: rows[0].erased_at, alreadyErased: false };
    const earlier = await this.pool.query<{ erased_at: Date }>('SELECT erased_at FROM pii_subject_keys WHERE subject_id = $1', [subjectId]);
    return { subjectId, erasedAt: earlier.rows[0]?.erased_at as Date, alreadyErased: true };
  }

  /**
   * A 32-byte key derived (HKDF-SHA-256, `purpose` as its info) from the subject's data key, for
   * keyed hashes that must die with the person, such as the idempotency fingerprint of a request
   * that carries their data: erasure shreds the data key, and with it every way to recompute such a
   * hash. Makes the person's key on first use, like `protect`; undefined once the person is erased.
   */
  async derivedSubjectKey(subjectId: string, purpose: string): Promise<Buffer | undefined> {
    checkInput(subjectId, []);
    if (!KEY_PURPOSE.test(purpose)) throw new InvalidPersonalDataInputError('Invalid key purpose');
    let dataKey: Buffer;
    try {
      dataKey = await this.keyForWrite(subjectId);
    } catch (error) {
      if (error instanceof SubjectErasedError) return undefined;
      throw error;
    }
    return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `haidang:pii:derived:v1:${purpose}`, 32));
  }

  async isErased(subjectId: string): Promise<boolean> {
    checkInput(subjectId, []);
    const { rows } = await this.pool.query<{ erased: boolean }>('SELECT erased_at IS NOT NULL AS erased FROM pii_subject_keys WHERE subject_id = $1', [
      subjectId,
    ]);
    return rows[0]?.erased ?? false;
  }

  /**
   * Re-wraps every live key not under the active KEK, in batches, without touching any event (the
   * data keys themselves do not change). Safe to run on several replicas at once (SKIP LOCKED) and
   * to re-run after a crash. Returns how many keys it re-wrapped. Remove the old KEK from
   * `DATA_KEY_ENCRYPTION_KEY` only after this returned and no replica still runs with the old list.
   */
  async rewrapKeys(options: { batchSize?: number } = {}): Promise<number> {
    const batchSize = options.batchSize ?? REWRAP_BATCH;
    const active = this.keks.active;
    let total = 0;
    for (;;) {
      const client = await this.pool.connect();
      let done = 0;
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<{ subject_id: string; kek_id: string; wrapped_key: Buffer }>(
          `SELECT subject_id, kek_id, wrapped_key FROM pii_subject_keys
           WHERE kek_id IS NOT NULL AND kek_id <> $1 AND erased_at IS NULL
           ORDER BY subject_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [active.id, batchSize],
        );
        for (const row of rows) {
          const dataKey = this.unwrap(row.kek_id, row.subject_id, row.wrapped_key);
          const wrapped = wrapDataKey(active.key, active.id, row.subject_id, dataKey);
          dataKey.fill(0);
          await client.query('UPDATE pii_subject_keys SET kek_id = $2, wrapped_key = $3, rewrapped_at = now() WHERE subject_id = $1 AND erased_at IS NULL', [
            row.subject_id,
            active.id,
            wrapped,
          ]);
        }
        await client.query('COMMIT');
        done = rows.length;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      total += done;
      if (done < batchSize) return total;
    }
  }

  /** Drops every unwrapped key held in memory (e.g. on shutdown). */
  clearCache(): void {
    this.cache.clear();
  }

  /**
   * The person's key for writing, made on first use. A key not in memory costs one round trip
   * whether the person is new or not: a fresh key is wrapped and inserted unless a row exists, and
   * the same statement reads the existing row otherwise (wrapping a key that is then thrown away
   * costs far less than a second round trip).
   */
  private async keyForWrite(subjectId: string): Promise<Buffer> {
    const cached = this.cache.get(subjectId);
    if (cached) return cached;
    const erasuresBefore = this.erasures;
    const dataKey = generateDataKey();
    const active = this.keks.active;
    const { rows } = await this.pool.query<KeyRow & { inserted: boolean }>(
      `WITH inserted AS (
         INSERT INTO pii_subject_keys (subject_id, kek_id, wrapped_key) VALUES ($1, $2, $3) ON CONFLICT (subject_id) DO NOTHING RETURNING 1
       )
       SELECT true AS inserted, NULL::text AS kek_id, NULL::bytea AS wrapped_key, NULL::timestamptz AS erased_at FROM inserted
       UNION ALL
       SELECT false, kek_id, wrapped_key, erased_at FROM pii_subject_keys WHERE subject_id = $1 AND NOT EXISTS (SELECT 1 FROM inserted)`,
      [subjectId, active.id, wrapDataKey(active.key, active.id, subjectId, dataKey)],
    );
    const row = rows[0];
    if (row?.inserted === true) {
      if (this.erasures === erasuresBefore) this.cache.set(subjectId, dataKey);
      return dataKey;
    }
    dataKey.fill(0);
    if (row !== undefined) {
      if (row.erased_at || !row.kek_id || !row.wrapped_key) throw new SubjectErasedError(subjectId);
      const key = this.unwrap(row.kek_id, subjectId, row.wrapped_key);
      if (this.erasures === erasuresBefore) this.cache.set(subjectId, key);
      return key;
    }
    // Another writer made (or erased) the key after this statement's snapshot was taken: use theirs.
    const again = await this.lookup(subjectId);
    if (again.state === 'live') return again.key;
    if (again.state === 'erased') throw new SubjectErasedError(subjectId);
    throw new SubjectKeyMissingError(subjectId);
  }

  private unwrap(kekId: string, subjectId: string, wrapped: Buffer): Buffer {
    const kek = this.keks.get(kekId); // UnknownKeyEncryptionKeyError when not configured
    try {
      return unwrapDataKey(kek, kekId, subjectId, wrapped);
    } catch {
      throw new DataKeyUnwrapError(subjectId, kekId);
    }
  }

  private async lookup(subjectId: string): Promise<KeyLookup> {
    const cached = this.cache.get(subjectId);
    if (cached) return { state: 'live', key: cached };
    const erasuresBefore = this.erasures;
    const { rows } = await this.pool.query<KeyRow>('SELECT kek_id, wrapped_key, erased_at FROM pii_subject_keys WHERE subject_id = $1', [subjectId]);
    const row = rows[0];
    if (!row) return { state: 'absent' };
    if (row.erased_at || !row.kek_id || !row.wrapped_key) return { state: 'erased' };
    const key = this.unwrap(row.kek_id, subjectId, row.wrapped_key);
    if (this.erasures === erasuresBefore) this.cache.set(subjectId, key);
    return { state: 'live', key };
  }
}

function checkInput(subjectId: string, fieldNames: readonly string[]): void {
  if (!SUBJECT_ID.test(subjectId)) throw new InvalidPersonalDataInputError('Invalid subject id');
  for (const field of fieldNames) {
    if (!FIELD_NAME.test(field)) throw new InvalidPersonalDataInputError(`Invalid personal field name ${JSON.stringify(field.slice(0, 64))}`);
  }
}
