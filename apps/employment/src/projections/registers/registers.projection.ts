import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { defineProjection } from '@haidang/projections';
import {
  EMPLOYER_AGGREGATE,
  TRAINING_PROVIDER_AGGREGATE,
  type EmployerChanged,
  type EmployerClosed,
  type EmployerData,
  type TrainingProviderChanged,
  type TrainingProviderClosed,
  type TrainingProviderData,
} from '../../registers/domain';

/** The two registers as lists (organisations only), each entry as it stands now, with its version for If-Match. */
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
  /** ACTIVE or CLOSED. */
  @Column('text') status!: string;
  @Column('text', { name: 'closed_on', nullable: true }) closedOn!: string | null;
  @Column('integer') version!: number;
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
  @Column('text') status!: string;
  @Column('text', { name: 'closed_on', nullable: true }) closedOn!: string | null;
  @Column('integer') version!: number;
}

type Events = {
  TrainingProviderRegistered: TrainingProviderData;
  TrainingProviderChanged: TrainingProviderChanged['data'];
  TrainingProviderClosed: TrainingProviderClosed['data'];
  EmployerRegistered: EmployerData;
  EmployerChanged: EmployerChanged['data'];
  EmployerClosed: EmployerClosed['data'];
};

const ofProvider = (event: { readonly streamId: string }) => event.streamId.startsWith(`${TRAINING_PROVIDER_AGGREGATE}-`);
const ofEmployer = (event: { readonly streamId: string }) => event.streamId.startsWith(`${EMPLOYER_AGGREGATE}-`);

/** Bump `version` whenever a handler or a row changes: the new version is built beside the old one. */
export const registersProjection = defineProjection<Events>({
  name: 'employment_registers',
  version: 2,
  entities: [TrainingProviderRow, EmployerRow],
  handlers: {
    TrainingProviderRegistered: (event, _em, ctx) => {
      if (ofProvider(event)) ctx.upsert(TrainingProviderRow, { ...event.data, status: 'ACTIVE', closedOn: null, version: Number(event.revision) });
    },
    TrainingProviderChanged: (event, _em, ctx) => {
      if (ofProvider(event)) ctx.update(TrainingProviderRow, { providerId: event.data.providerId }, { ...event.data.changes, version: Number(event.revision) });
    },
    TrainingProviderClosed: (event, _em, ctx) => {
      if (ofProvider(event))
        ctx.update(
          TrainingProviderRow,
          { providerId: event.data.providerId },
          { status: 'CLOSED', closedOn: event.data.closedOn, version: Number(event.revision) },
        );
    },
    EmployerRegistered: (event, _em, ctx) => {
      if (ofEmployer(event)) ctx.upsert(EmployerRow, { ...event.data, status: 'ACTIVE', closedOn: null, version: Number(event.revision) });
    },
    EmployerChanged: (event, _em, ctx) => {
      if (ofEmployer(event)) ctx.update(EmployerRow, { employerId: event.data.employerId }, { ...event.data.changes, version: Number(event.revision) });
    },
    EmployerClosed: (event, _em, ctx) => {
      if (ofEmployer(event))
        ctx.update(EmployerRow, { employerId: event.data.employerId }, { status: 'CLOSED', closedOn: event.data.closedOn, version: Number(event.revision) });
    },
  },
});
