import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { defineProjection } from '@haidang/projections';
import { EMPLOYER_AGGREGATE, TRAINING_PROVIDER_AGGREGATE, type EmployerData, type TrainingProviderData } from '../../registers/domain';

/** The two registers as lists (organisations only). */
@Entity({ name: 'employment_training_provider_row' })
export class TrainingProviderRow {
  @PrimaryColumn('uuid', { name: 'provider_id' }) providerId!: string;
  @Column('text') name!: string;
  @Column('text') kind!: string;
  @Index() @Column('text', { name: 'province_code' }) provinceCode!: string;
  @Column('text', { name: 'commune_code' }) communeCode!: string;
  @Column('integer') capacity!: number;
  @Column('text', { name: 'agency_code', nullable: true }) agencyCode!: string | null;
  @Column('text', { name: 'registered_on' }) registeredOn!: string;
}

@Entity({ name: 'employment_employer_row' })
export class EmployerRow {
  @PrimaryColumn('uuid', { name: 'employer_id' }) employerId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'tax_code' }) taxCode!: string;
  @Index() @Column('text', { name: 'province_code' }) provinceCode!: string;
  @Column('text', { name: 'commune_code' }) communeCode!: string;
  @Column('text') sector!: string;
  @Column('text', { name: 'registered_on' }) registeredOn!: string;
}

type Events = { TrainingProviderRegistered: TrainingProviderData; EmployerRegistered: EmployerData };

export const registersProjection = defineProjection<Events>({
  name: 'employment_registers',
  version: 1,
  entities: [TrainingProviderRow, EmployerRow],
  handlers: {
    TrainingProviderRegistered: (event, _em, ctx) => {
      if (event.streamId.startsWith(`${TRAINING_PROVIDER_AGGREGATE}-`)) ctx.upsert(TrainingProviderRow, { ...event.data });
    },
    EmployerRegistered: (event, _em, ctx) => {
      if (event.streamId.startsWith(`${EMPLOYER_AGGREGATE}-`)) ctx.upsert(EmployerRow, { ...event.data });
    },
  },
});
