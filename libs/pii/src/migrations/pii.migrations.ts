import type { Migration } from '@haidang/sql-migrations';

/**
 * One row per person whose personal data was ever encrypted. Erasure nulls `wrapped_key` and
 * `kek_id` (the row stays as the record of the erasure and to refuse new keys for that person).
 * Subject ids are opaque (a person's stream id), never personal data.
 */
export const piiMigrations: readonly Migration[] = [
  {
    id: 'pii/0001-subject-keys',
    sql: `
      CREATE TABLE pii_subject_keys (
        subject_id     text PRIMARY KEY,
        kek_id         text,
        wrapped_key    bytea,
        created_at     timestamptz NOT NULL DEFAULT now(),
        rewrapped_at   timestamptz,
        erased_at      timestamptz,
        erased_by      text,
        erasure_reason text,
        CONSTRAINT pii_subject_keys_live_or_erased CHECK (
          (erased_at IS NULL AND kek_id IS NOT NULL AND wrapped_key IS NOT NULL)
          OR (erased_at IS NOT NULL AND kek_id IS NULL AND wrapped_key IS NULL AND erased_by IS NOT NULL AND erasure_reason IS NOT NULL)
        )
      );
      -- rewrapKeys() looks for keys not under the active KEK.
      CREATE INDEX pii_subject_keys_kek ON pii_subject_keys (kek_id) WHERE kek_id IS NOT NULL;
    `,
  },
];
