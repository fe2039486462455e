import type { DataSource } from 'typeorm';
import { ProjectionNotActiveError, withReadModel } from '@haidang/projections';
import { personsProjection } from './persons.projection';

/** A person who might be the one being registered, with the units that scope who may know of them. */
export interface PersonCandidate {
  readonly personId: string;
  readonly communeCode: string;
  readonly provinceCode: string;
}

/**
 * Who might be the same person as the one being registered: not erased, same keyed hash of the
 * normalized name or of the personal ID (table person_search_keys). The read side's answer to
 * registration's PersonCandidates port; undefined while the read model is first built.
 */
export async function personCandidates(
  readModel: DataSource,
  excludingPersonId: string,
  nameIndex: string,
  personalIdIndex: string | undefined,
): Promise<PersonCandidate[] | undefined> {
  try {
    return await withReadModel(readModel, personsProjection.name, async (em) => {
      const rows = (await em.query(
        `SELECT p.person_id, p.commune_code, p.province_code FROM person_row p JOIN person_search_keys k ON k.person_id = p.person_id
          WHERE NOT p.erased AND p.person_id <> $1 AND (k.name_index = $2 OR ($3::text IS NOT NULL AND k.personal_id_index = $3))
          ORDER BY p.registered_at LIMIT 50`,
        [excludingPersonId, nameIndex, personalIdIndex ?? null],
      )) as { person_id: string; commune_code: string; province_code: string }[];
      return rows.map((r) => ({ personId: r.person_id, communeCode: r.commune_code, provinceCode: r.province_code }));
    });
  } catch (error) {
    if (error instanceof ProjectionNotActiveError) return undefined;
    throw error;
  }
}
