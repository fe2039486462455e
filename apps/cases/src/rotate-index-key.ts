import { StreamNotFoundError, type EventStore } from '@haidang/event-store';
import { PersonalIdIndex, SubjectKeyMissingError, type PersonalDataProtector } from '@haidang/pii';
import type { Pool } from 'pg';
import { PERSON_AGGREGATE, type PersonRegisteredV1 } from './person/domain';
import { NameIndex } from './person/person-search-keys';

/**
 * Rotation of `PERSONAL_ID_INDEX_KEY` for the cases service (issue 10 §5; procedure in
 * apps/cases/src/README.md, command `npm run rotate-index-key -- --service cases`).
 *
 * Run it with the service stopped: every replica then starts with the new key, and no lookup mixes
 * hashes of two keys. For every person in the log: when their data key still exists, their name
 * and citizen ID are decrypted and re-hashed under the new key into `person_search_keys`; when it
 * was shredded (erased), their row is dropped; a row of no person at all is dropped too. Then the
 * old key is destroyed, and the keyed hashes that old immutable `PersonRegistered` events still
 * carry (`personalIdIndex`, `nameIndex`, written before issue 10 §5) are keyed hashes under a key
 * nobody has: nothing can test a guessed ID or name against them any more.
 *
 * `oldIndexKey` only checks: a row that matches neither key (another rotation half done, a wrong
 * old key) is counted in `unexpected`, and still re-hashed. Running it twice is harmless.
 */
export interface RotateIndexKeyOptions {
  readonly pool: Pool;
  readonly store: EventStore;
  readonly protector: PersonalDataProtector;
  readonly oldIndexKey: Buffer;
  readonly newIndexKey: Buffer;
}

export interface RotateIndexKeyReport {
  /** Living persons whose row now holds hashes under the new key. */
  readonly rehashed: number;
  /** Rows dropped: erased persons, and rows of no registered person. */
  readonly dropped: number;
  /** Rows that held hashes under neither key before the run (re-hashed all the same). */
  readonly unexpected: number;
}

const FIELDS = ['fullName', 'personalId'] as const;

export async function rotateIndexKey(options: RotateIndexKeyOptions): Promise<RotateIndexKeyReport> {
  if (options.oldIndexKey.equals(options.newIndexKey)) throw new Error('The new PERSONAL_ID_INDEX_KEY is the old one');
  const old = { id: new PersonalIdIndex(options.oldIndexKey), name: new NameIndex(options.oldIndexKey) };
  const next = { id: new PersonalIdIndex(options.newIndexKey), name: new NameIndex(options.newIndexKey) };
  const streams = (
    await options.pool.query<{ stream_name: string }>(`SELECT DISTINCT stream_name FROM es_events WHERE stream_name LIKE $1`, [`${PERSON_AGGREGATE}-%`])
  ).rows;
  const living = new Set<string>();
  let rehashed = 0;
  let dropped = 0;
  let unexpected = 0;
  for (const { stream_name: stream } of streams) {
    const personId = stream.slice(PERSON_AGGREGATE.length + 1);
    const registered = await registrationOf(options.store, stream);
    if (registered === undefined) continue;
    if (await options.protector.isErased(personId)) continue;
    const shown = await revealed(options.protector, personId, registered);
    if (shown === undefined) continue;
    if (typeof shown.fullName !== 'string' || shown.fullName === '[erased]') continue;
    const nameIndex = next.name.of(shown.fullName);
    if (nameIndex === undefined) continue;
    const personalId = typeof shown.personalId === 'string' && shown.personalId !== '[erased]' ? shown.personalId : undefined;
    const personalIdIndex = personalId === undefined ? null : next.id.blindIndex(personalId);
    const before = (
      await options.pool.query<{ name_index: string; personal_id_index: string | null }>(
        `SELECT name_index, personal_id_index FROM person_search_keys WHERE person_id = $1`,
        [personId],
      )
    ).rows[0];
    if (before !== undefined) {
      const underOld =
        before.name_index === old.name.of(shown.fullName) && before.personal_id_index === (personalId === undefined ? null : old.id.blindIndex(personalId));
      const underNew = before.name_index === nameIndex && before.personal_id_index === personalIdIndex;
      if (!underOld && !underNew) unexpected++;
    }
    await options.pool.query(
      `INSERT INTO person_search_keys (person_id, name_index, personal_id_index) VALUES ($1, $2, $3)
       ON CONFLICT (person_id) DO UPDATE SET name_index = EXCLUDED.name_index, personal_id_index = EXCLUDED.personal_id_index`,
      [personId, nameIndex, personalIdIndex],
    );
    living.add(personId);
    rehashed++;
  }
  // Everyone else's row goes: erased persons, and rows a failed registration left behind.
  const gone = await options.pool.query(`DELETE FROM person_search_keys WHERE NOT (person_id = ANY($1::uuid[]))`, [[...living]]);
  dropped += gone.rowCount ?? 0;
  return { rehashed, dropped, unexpected };
}

/** The name and citizen ID in the clear; undefined when the person has no key row at all (nothing can be decrypted). */
async function revealed(
  protector: PersonalDataProtector,
  personId: string,
  registered: PersonRegisteredV1,
): Promise<{ fullName: unknown; personalId: unknown } | undefined> {
  try {
    const shown = await protector.reveal<PersonRegisteredV1, (typeof FIELDS)[number]>(personId, registered, [...FIELDS]);
    return { fullName: shown.fullName, personalId: shown.personalId };
  } catch (error) {
    if (error instanceof SubjectKeyMissingError) return undefined;
    throw error;
  }
}

/** The person's registration as the log holds it (personal fields encrypted), if any. */
async function registrationOf(store: EventStore, stream: string): Promise<PersonRegisteredV1 | undefined> {
  try {
    for await (const event of store.readStream(stream)) {
      if (event.type === 'PersonRegistered') return event.data as PersonRegisteredV1;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return undefined;
}
