import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { defineProjection } from '@haidang/projections';
import type { PersonErasedV1, PersonRegisteredV1 } from '../../person/domain';

/**
 * The persons read model: only what search and scoping need. No personal field in the clear —
 * names and IDs only as keyed hashes, and those are cleared when the person is erased; names to
 * show are revealed from the events at query time.
 */
@Entity({ name: 'person_row' })
export class PersonRow {
  @PrimaryColumn('uuid', { name: 'person_id' }) personId!: string;
  @Index() @Column('text', { name: 'province_code' }) provinceCode!: string;
  @Index() @Column('text', { name: 'commune_code' }) communeCode!: string;
  @Index() @Column('text', { name: 'personal_id_index', nullable: true }) personalIdIndex!: string | null;
  @Index() @Column('text', { name: 'name_index', nullable: true }) nameIndex!: string | null;
  @Column('integer') version!: number;
  @Column('boolean') erased!: boolean;
  @Column('timestamptz', { name: 'registered_at' }) registeredAt!: Date;
}

export const personsProjection = defineProjection<{ PersonRegistered: PersonRegisteredV1; PersonErased: PersonErasedV1 }>({
  name: 'cases_persons',
  version: 1,
  entities: [PersonRow],
  handlers: {
    PersonRegistered: (event, _em, ctx) =>
      ctx.upsert(PersonRow, {
        personId: event.data.personId,
        provinceCode: event.data.residence.provinceCode,
        communeCode: event.data.residence.communeCode,
        personalIdIndex: event.data.personalIdIndex ?? null,
        nameIndex: event.data.nameIndex,
        version: Number(event.revision),
        erased: false,
        registeredAt: event.created,
      }),
    PersonErased: (event, _em, ctx) =>
      ctx.update(PersonRow, { personId: event.data.personId }, { personalIdIndex: null, nameIndex: null, erased: true, version: Number(event.revision) }),
  },
});
