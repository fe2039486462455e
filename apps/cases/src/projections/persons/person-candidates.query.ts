import type { DataSource } from 'typeorm';
import { ProjectionNotActiveError, withReadModel } from '@haidang/projections';
import { personsProjection } from './persons.projection';

/**
 * Who might be the same person as the one being registered: not erased, same keyed hash of the
 * normalized name or of the personal ID. The read side's answer to registration's PersonCandidates
 * port; undefined while the read model is first built.
 */
export async function personCandidateIds(
  readModel: DataSource,
  excludingPersonId: string,
  nameIndex: string,
  personalIdIndex: string | undefined,
): Promise<string[] | undefined> {
  try {
    return await withReadModel(readModel, personsProjection.name, async (em) => {
      const rows = (await em.query(
        `SELECT person_id FROM person_row WHERE NOT erased AND person_id <> $1 AND (name_index = $2 OR ($3::text IS NOT NULL AND personal_id_index = $3)) ORDER BY registered_at LIMIT 50`,
        [excludingPersonId, nameIndex, personalIdIndex ?? null],
      )) as { person_id: string }[];
      return rows.map((r) => r.person_id);
    });
  } catch (error) {
    if (error instanceof ProjectionNotActiveError) return undefined;
    throw error;
  }
}
