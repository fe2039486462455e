import type { Migration } from '@haidang/event-store';

/**
 * The cases service's own tables, beyond PLATFORM_MIGRATIONS.
 *
 * `person_search_keys` (issue 10 §5): the keyed hashes of a person's name and personal ID live here,
 * never in the immutable `PersonRegistered` event, so that erasure can delete them. Not a projection
 * table: the log no longer holds the hashes, so a rebuild could not recreate them; registration
 * writes the row, erasure (and the persons projection on `PersonErased`) deletes it.
 *
 * `duplicate_reviews` (issue 10 §1): a possible duplicate found outside the registering agency's
 * scope is not told to it; it becomes a review task for the data-protection officers of the
 * province that holds the match. Ids and reason codes only, no personal data.
 */
export const casesServiceMigrations: readonly Migration[] = [
  {
    id: 'cases/0001-person-search-keys-and-duplicate-reviews',
    sql: `
      CREATE TABLE IF NOT EXISTS person_search_keys (
        person_id         uuid PRIMARY KEY,
        name_index        text NOT NULL,
        personal_id_index text
      );
      CREATE INDEX IF NOT EXISTS person_search_keys_name ON person_search_keys (name_index);
      CREATE INDEX IF NOT EXISTS person_search_keys_personal_id ON person_search_keys (personal_id_index);
      CREATE TABLE IF NOT EXISTS duplicate_reviews (
        review_id            uuid        PRIMARY KEY,
        registered_person_id uuid        NOT NULL,
        matched_person_id    uuid        NOT NULL,
        province_code        text        NOT NULL,
        reasons              text[]      NOT NULL,
        registered_by        text        NOT NULL,
        status               text        NOT NULL DEFAULT 'pending',
        created_at           timestamptz NOT NULL,
        UNIQUE (registered_person_id, matched_person_id)
      );
      CREATE INDEX IF NOT EXISTS duplicate_reviews_province ON duplicate_reviews (province_code, created_at);
    `,
  },
  {
    // A review is resolved once (issue 10 §1): SAME_PERSON or DIFFERENT_PERSONS, by whom and when.
    // The officer's note stays here, erasable with the row, never in an event.
    id: 'cases/0002-duplicate-review-resolution',
    sql: `
      ALTER TABLE duplicate_reviews ADD COLUMN IF NOT EXISTS outcome text;
      ALTER TABLE duplicate_reviews ADD COLUMN IF NOT EXISTS resolved_by text;
      ALTER TABLE duplicate_reviews ADD COLUMN IF NOT EXISTS resolved_at timestamptz;
      ALTER TABLE duplicate_reviews ADD COLUMN IF NOT EXISTS note text;
    `,
  },
];
