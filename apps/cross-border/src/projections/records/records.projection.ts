import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { defineProjection } from '@haidang/projections';
import {
  COOPERATION_RECORD_AGGREGATE,
  figuresOf,
  type CooperationRecordRegistered,
  type RecordSealed,
  type ReplyReceived,
  type TranslationAdded,
} from '../../cooperation-record/domain';

/**
 * The records read model: kind, province, crossing, dates, status and the Vietnamese title; never
 * the persons. Beside it, what each record adds to the statistics (`cooperation_record_figure`): a
 * record corrected by a later one stops counting (`corrected_by`), its correction counts instead.
 * The read side knows the events (types, data, the pure `figuresOf`), not the aggregate or its commands.
 */
@Entity({ name: 'cooperation_record_row' })
export class CooperationRecordRow {
  @PrimaryColumn('uuid', { name: 'record_id' }) recordId!: string;
  @Index() @Column('text') kind!: string;
  @Index() @Column('text', { name: 'province_code' }) provinceCode!: string;
  @Index() @Column('text', { name: 'crossing_code', nullable: true }) crossingCode!: string | null;
  // Dates are the days in Vietnam as ISO strings (no time zone to shift them).
  @Column('text', { name: 'occurred_on' }) occurredOn!: string;
  @Column('text', { name: 'period_from' }) periodFrom!: string;
  @Column('text', { name: 'period_to' }) periodTo!: string;
  @Index() @Column('text') status!: string;
  @Column('text', { name: 'title_vi' }) titleVi!: string;
  @Column('uuid', { nullable: true }) corrects!: string | null;
  @Column('uuid', { name: 'corrected_by', nullable: true }) correctedBy!: string | null;
  @Column('text', { name: 'reply_due_on', nullable: true }) replyDueOn!: string | null;
  @Column('text', { name: 'reply_received_on', nullable: true }) replyReceivedOn!: string | null;
  @Column('integer') version!: number;
}

@Entity({ name: 'cooperation_record_figure' })
export class CooperationRecordFigureRow {
  @PrimaryColumn('uuid', { name: 'record_id' }) recordId!: string;
  @PrimaryColumn('text') category!: string;
  @Column('numeric') value!: string;
}

type Events = {
  CooperationRecordRegistered: CooperationRecordRegistered['data'];
  TranslationAdded: TranslationAdded['data'];
  ReplyReceived: ReplyReceived['data'];
  RecordSealed: RecordSealed['data'];
};

const STREAM_PREFIX = `${COOPERATION_RECORD_AGGREGATE}-`;

/** The record id of an event of this aggregate's streams, or undefined for another stream. */
const recordIdOf = (event: { readonly streamId: string }): string | undefined =>
  event.streamId.startsWith(STREAM_PREFIX) ? event.streamId.slice(STREAM_PREFIX.length) : undefined;

/** Bump `version` whenever a handler or the row changes: the new version is built beside the old one. */
export const recordsProjection = defineProjection<Events>({
  name: 'cross_border_records',
  version: 2,
  entities: [CooperationRecordRow, CooperationRecordFigureRow],
  handlers: {
    CooperationRecordRegistered: (event, _em, ctx) => {
      const recordId = recordIdOf(event);
      if (recordId === undefined) return;
      const { details } = event.data;
      const period =
        details.kind === 'PERIOD_SUMMARY' ? { from: details.periodFrom, to: details.periodTo } : { from: event.data.occurredOn, to: event.data.occurredOn };
      ctx.upsert(CooperationRecordRow, {
        recordId,
        kind: event.data.kind,
        provinceCode: event.data.provinceCode,
        crossingCode: event.data.crossingCode,
        occurredOn: event.data.occurredOn,
        periodFrom: period.from,
        periodTo: period.to,
        status: 'OPEN',
        titleVi: event.data.vi.title,
        corrects: event.data.corrects,
        correctedBy: null,
        replyDueOn: details.kind === 'INFORMATION_EXCHANGE' ? details.replyDueOn : null,
        replyReceivedOn: null,
        version: Number(event.revision),
      });
      for (const figure of figuresOf(details)) ctx.upsert(CooperationRecordFigureRow, { recordId, category: figure.category, value: String(figure.value) });
      if (event.data.corrects !== null) ctx.update(CooperationRecordRow, { recordId: event.data.corrects }, { correctedBy: recordId });
    },
    TranslationAdded: (event, _em, ctx) => {
      const recordId = recordIdOf(event);
      if (recordId !== undefined) ctx.update(CooperationRecordRow, { recordId }, { version: Number(event.revision) });
    },
    ReplyReceived: (event, _em, ctx) => {
      const recordId = recordIdOf(event);
      if (recordId !== undefined) ctx.update(CooperationRecordRow, { recordId }, { replyReceivedOn: event.data.receivedOn, version: Number(event.revision) });
    },
    RecordSealed: (event, _em, ctx) => {
      const recordId = recordIdOf(event);
      if (recordId !== undefined) ctx.update(CooperationRecordRow, { recordId }, { status: 'SEALED', version: Number(event.revision) });
    },
  },
});
