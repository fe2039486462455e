import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { provinceOf } from '@haidang/jurisdiction';
import { defineProjection } from '@haidang/projections';
import type { PersonErasedV1, PersonRegisteredV1 } from '../../person/domain';

/**
 * The persons read model: only what search and scoping need. No personal field in the clear, and
 * no keyed hash either: those live in the erasable table person_search_keys (issue 10 §5).
 *
 * v2: the province is the commune's (libs/jurisdiction), never the province code stored in the
 * event: events written before registration refused a mismatch may carry a wrong one, and lists
 * scope by province while reads scope by commune (issue 10 §2). A rebuild fixes old rows.
 */
@Entity({ name: 'person_row' })
// v3: the search reads a page in index order within a commune or a province and counts by an
// index-only scan (issue 17 §6); these replace the single-column indexes on the two codes.
@Index(['communeCode', 'registeredAt', 'personId'])
@Index(['provinceCode', 'registeredAt', 'personId'])
export class PersonRow {
  @PrimaryColumn('uuid', { name: 'person_id' }) personId!: string;
  @Column('text', { name: 'province_code' }) provinceCode!: string;
  @Column('text', { name: 'commune_code' }) communeCode!: string;
  @Column('integer') version!: number;
  @Column('boolean') erased!: boolean;
  @Column('timestamptz', { name: 'registered_at' }) registeredAt!: Date;
}

/**
 * The province a residence belongs to: the commune's on the day the event was recorded. The stored
 * code is used only for a commune the catalogue does not know (then nobody's province scope should
 * widen on its word alone, but dropping the person from every list would hide them from their own
 * commune, which scopes by commune code).
 */
export function residenceProvince(residence: PersonRegisteredV1['residence'], recordedAt: Date): string {
  return provinceOf(residence.communeCode, recordedAt) ?? residence.provinceCode;
}

/** The definition at a given version; the service runs `personsProjection` (tests rebuild another version of the same). */
export const definePersonsProjection = (version: number) =>
  defineProjection<{ PersonRegistered: PersonRegisteredV1; PersonErased: PersonErasedV1 }>({
    name: 'cases_persons',
    version,
    entities: [PersonRow],
    handlers: {
      PersonRegistered: async (event, em, ctx) => {
        // Events written before issue 10 §5 still carry the keyed hashes: move them to the erasable
        // table (a later PersonErased of the same person deletes them again).
        if (event.data.nameIndex !== undefined)
          await em.query(`INSERT INTO person_search_keys (person_id, name_index, personal_id_index) VALUES ($1, $2, $3) ON CONFLICT (person_id) DO NOTHING`, [
            event.data.personId,
            event.data.nameIndex,
            event.data.personalIdIndex ?? null,
          ]);
        await ctx.upsert(PersonRow, {
          personId: event.data.personId,
          provinceCode: residenceProvince(event.data.residence, event.created),
          communeCode: event.data.residence.communeCode,
          version: Number(event.revision),
          erased: false,
          registeredAt: event.created,
        });
      },
      PersonErased: async (event, em, ctx) => {
        await em.query(`DELETE FROM person_search_keys WHERE person_id = $1`, [event.data.personId]);
        await ctx.update(PersonRow, { personId: event.data.personId }, { erased: true, version: Number(event.revision) });
      },
    },
  });

/** v3: indexes for the search's order within a commune and a province. */
export const personsProjection = definePersonsProjection(3);
