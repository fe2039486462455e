import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { defineProjection } from '@haidang/projections';
import { ANALYST_EXPORT_AGGREGATE, type AnalystExportClosed, type AnalystExportRegistered } from '../../analyst-export/domain/analyst-export.events';

/**
 * The exports read model: ids, codes, status and dates only, never the note. The read side
 * knows the events (their types and data), not the aggregate or its commands.
 */
@Entity({ name: 'analyst_export_row' })
export class AnalystExportRow {
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
  AnalystExportRegistered: AnalystExportRegistered['data'];
  AnalystExportClosed: AnalystExportClosed['data'];
};

const STREAM_PREFIX = `${ANALYST_EXPORT_AGGREGATE}-`;

/** The record id of an event of this aggregate's streams, or undefined for another stream. */
const recordIdOf = (event: { readonly streamId: string }): string | undefined =>
  event.streamId.startsWith(STREAM_PREFIX) ? event.streamId.slice(STREAM_PREFIX.length) : undefined;

/** Bump `version` whenever a handler or the row changes: the new version is built beside the old one. */
export const exportsProjection = defineProjection<Events>({
  name: 'projections_exports',
  version: 1,
  entities: [AnalystExportRow],
  handlers: {
    AnalystExportRegistered: (event, _em, ctx) => {
      const recordId = recordIdOf(event);
      if (recordId === undefined) return;
      ctx.upsert(AnalystExportRow, {
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
    AnalystExportClosed: (event, _em, ctx) => {
      const recordId = recordIdOf(event);
      if (recordId === undefined) return;
      ctx.update(
        AnalystExportRow,
        { recordId },
        { status: 'CLOSED', closedOn: event.data.closedOn, outcome: event.data.outcome, version: Number(event.revision) },
      );
    },
  },
});
