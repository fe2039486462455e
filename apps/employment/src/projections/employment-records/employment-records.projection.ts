import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { defineProjection } from '@haidang/projections';
import {
  EMPLOYMENT_RECORD_AGGREGATE,
  type EmploymentRecordClosed,
  type EmploymentRecordRegistered,
} from '../../employment-record/domain/employment-record.events';

/**
 * The employment records read model: ids, codes, status and dates only, never the note. The read side
 * knows the events (their types and data), not the aggregate or its commands.
 */
@Entity({ name: 'employment_record_row' })
export class EmploymentRecordRow {
  @PrimaryColumn('uuid', { name: 'record_id' }) recordId!: string;
  @Index() @Column('text', { name: 'commune_code' }) communeCode!: string;
  @Index() @Column('text', { name: 'province_code' }) provinceCode!: string;
  @Index() @Column('text') status!: string;
  // Dates are the days in Vietnam as ISO strings (no time zone to shift them).
  @Column('text', { name: 'registered_on' }) registeredOn!: string;
  @Column('text', { name: 'closed_on', nullable: true }) closedOn!: string | null;
  @Column('text', { nullable: true }) outcome!: string | null;
  @Column('integer') version!: number;
}

type Events = {
  EmploymentRecordRegistered: EmploymentRecordRegistered['data'];
  EmploymentRecordClosed: EmploymentRecordClosed['data'];
};

const STREAM_PREFIX = `${EMPLOYMENT_RECORD_AGGREGATE}-`;

/** The record id of an event of this aggregate's streams, or undefined for another stream. */
const recordIdOf = (event: { readonly streamId: string }): string | undefined =>
  event.streamId.startsWith(STREAM_PREFIX) ? event.streamId.slice(STREAM_PREFIX.length) : undefined;

/** Bump `version` whenever a handler or the row changes: the new version is built beside the old one. */
export const employmentRecordsProjection = defineProjection<Events>({
  name: 'employment_employment_records',
  version: 1,
  entities: [EmploymentRecordRow],
  handlers: {
    EmploymentRecordRegistered: (event, _em, ctx) => {
      const recordId = recordIdOf(event);
      if (recordId === undefined) return;
      ctx.upsert(EmploymentRecordRow, {
        recordId,
        communeCode: event.data.communeCode,
        provinceCode: event.data.provinceCode,
        status: 'OPEN',
        registeredOn: event.data.registeredOn,
        closedOn: null,
        outcome: null,
        version: Number(event.revision),
      });
    },
    EmploymentRecordClosed: (event, _em, ctx) => {
      const recordId = recordIdOf(event);
      if (recordId === undefined) return;
      ctx.update(
        EmploymentRecordRow,
        { recordId },
        { status: 'CLOSED', closedOn: event.data.closedOn, outcome: event.data.outcome, version: Number(event.revision) },
      );
    },
  },
});
