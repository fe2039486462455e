import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { defineProjection, type ProjectionContext } from '@haidang/projections';
import {
  EMPLOYMENT_RECORD_AGGREGATE,
  type CounsellingSessionHeld,
  type EmploymentRecordClosed,
  type EmploymentRecordOpened,
  type JobFollowUpRecorded,
  type JobLeft,
  type JobStarted,
  type NeedAssessed,
  type ReferralOutcomeReported,
  type ResidenceRecorded,
  type TrainingCompleted,
  type TrainingDroppedOut,
  type TrainingEnrolled,
} from '../../employment-record/domain/employment-record.events';

/**
 * The employment read model: records, their follow-ups (the list of due and overdue checks), their
 * enrolments (what a provider sees, and the centre's list) and their placements. Ids, codes, status and dates only: never the free text
 * nor a certificate number, and the enrolment rows name no person and no case. The read side knows
 * the events, not the aggregate or its commands.
 */
@Entity({ name: 'employment_record_row' })
export class EmploymentRecordRow {
  @PrimaryColumn('uuid', { name: 'record_id' }) recordId!: string;
  @Index() @Column('text', { name: 'commune_code', nullable: true }) communeCode!: string | null;
  @Index() @Column('text', { name: 'province_code' }) provinceCode!: string;
  @Index() @Column('text') status!: string;
  @Column('text') need!: string;
  @Column('text', { name: 'referral_service', nullable: true }) referralService!: string | null;
  // Dates are the days in Vietnam as ISO strings (no time zone to shift them).
  @Column('text', { name: 'opened_on' }) openedOn!: string;
  @Column('text', { name: 'closed_on', nullable: true }) closedOn!: string | null;
  @Column('text', { nullable: true }) outcome!: string | null;
  @Column('integer') version!: number;
}

@Entity({ name: 'employment_follow_up_row' })
export class FollowUpRow {
  @PrimaryColumn('uuid', { name: 'placement_id' }) placementId!: string;
  @PrimaryColumn('integer') month!: number;
  @Index() @Column('uuid', { name: 'record_id' }) recordId!: string;
  @Column('uuid', { name: 'employer_id' }) employerId!: string;
  @Column('text', { name: 'commune_code', nullable: true }) communeCode!: string | null;
  @Column('text', { name: 'province_code' }) provinceCode!: string;
  @Index() @Column('text', { name: 'due_on' }) dueOn!: string;
  /** PENDING, RECORDED, or CANCELLED (the job ended before the check was due). */
  @Index() @Column('text') status!: string;
  @Column('text', { name: 'checked_on', nullable: true }) checkedOn!: string | null;
  @Column('boolean', { name: 'still_working', nullable: true }) stillWorking!: boolean | null;
}

/** An enrolment; the record and its place scope the centre's and the commune's lists, and a provider's list never shows them. */
@Entity({ name: 'employment_enrolment_row' })
export class EnrolmentRow {
  @PrimaryColumn('uuid', { name: 'enrolment_id' }) enrolmentId!: string;
  @Index() @Column('uuid', { name: 'provider_id' }) providerId!: string;
  @Index() @Column('uuid', { name: 'record_id' }) recordId!: string;
  @Column('text', { name: 'commune_code', nullable: true }) communeCode!: string | null;
  @Index() @Column('text', { name: 'province_code' }) provinceCode!: string;
  @Column('text', { name: 'trade_code' }) tradeCode!: string;
  @Column('text') level!: string;
  @Column('text', { name: 'start_on' }) startOn!: string;
  @Column('text', { name: 'expected_end_on' }) expectedEndOn!: string;
  @Column('text') funding!: string;
  @Column('text') status!: string;
  @Column('text', { name: 'ended_on', nullable: true }) endedOn!: string | null;
  @Column('text', { name: 'dropout_reason', nullable: true }) dropoutReason!: string | null;
}

/** A job: employer, contract, wage band, the loan's programme; WORKING until the person left it (LEFT). */
@Entity({ name: 'employment_placement_row' })
export class PlacementRow {
  @PrimaryColumn('uuid', { name: 'placement_id' }) placementId!: string;
  @Index() @Column('uuid', { name: 'record_id' }) recordId!: string;
  @Index() @Column('uuid', { name: 'employer_id' }) employerId!: string;
  @Column('text', { name: 'commune_code', nullable: true }) communeCode!: string | null;
  @Index() @Column('text', { name: 'province_code' }) provinceCode!: string;
  @Column('text', { name: 'contract_type' }) contractType!: string;
  @Column('text', { name: 'wage_band' }) wageBand!: string;
  @Column('text', { name: 'loan_programme', nullable: true }) loanProgramme!: string | null;
  @Index() @Column('text', { name: 'start_on' }) startOn!: string;
  @Index() @Column('text') status!: string;
  @Column('text', { name: 'ended_on', nullable: true }) endedOn!: string | null;
  @Column('text', { name: 'leave_reason', nullable: true }) leaveReason!: string | null;
}

type Events = {
  EmploymentRecordOpened: EmploymentRecordOpened['data'];
  ResidenceRecorded: ResidenceRecorded['data'];
  NeedAssessed: NeedAssessed['data'];
  CounsellingSessionHeld: CounsellingSessionHeld['data'];
  ReferralOutcomeReported: ReferralOutcomeReported['data'];
  TrainingEnrolled: TrainingEnrolled['data'];
  TrainingDroppedOut: TrainingDroppedOut['data'];
  TrainingCompleted: TrainingCompleted['data'];
  JobStarted: JobStarted['data'];
  JobFollowUpRecorded: JobFollowUpRecorded['data'];
  JobLeft: JobLeft['data'];
  EmploymentRecordClosed: EmploymentRecordClosed['data'];
};

const STREAM_PREFIX = `${EMPLOYMENT_RECORD_AGGREGATE}-`;

/** The record id of an event of this aggregate's streams, or undefined for another stream. */
const recordIdOf = (event: { readonly streamId: string }): string | undefined =>
  event.streamId.startsWith(STREAM_PREFIX) ? event.streamId.slice(STREAM_PREFIX.length) : undefined;

/** Every event of a record moves the row's version (the list shows the version to send as If-Match). */
function touch(event: { readonly streamId: string; readonly revision: bigint }, ctx: { update: ProjectionContext['update'] }): string | undefined {
  const recordId = recordIdOf(event);
  if (recordId !== undefined) ctx.update(EmploymentRecordRow, { recordId }, { version: Number(event.revision) });
  return recordId;
}

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

async function placeOf(em: Queryable, recordId: string): Promise<{ communeCode: string | null; provinceCode: string } | undefined> {
  const rows = (await em.query(`SELECT commune_code, province_code FROM employment_record_row WHERE record_id = $1`, [recordId])) as {
    commune_code: string | null;
    province_code: string;
  }[];
  const row = rows[0];
  return row === undefined ? undefined : { communeCode: row.commune_code, provinceCode: row.province_code };
}

/** Bump `version` whenever a handler or a row changes: the new version is built beside the old one. */
export const employmentRecordsProjection = defineProjection<Events>({
  name: 'employment_employment_records',
  version: 3,
  entities: [EmploymentRecordRow, FollowUpRow, EnrolmentRow, PlacementRow],
  handlers: {
    EmploymentRecordOpened: (event, _em, ctx) => {
      const recordId = recordIdOf(event);
      if (recordId === undefined) return;
      const d = event.data;
      ctx.upsert(EmploymentRecordRow, {
        recordId,
        communeCode: d.communeCode,
        provinceCode: d.provinceCode,
        status: 'OPEN',
        need: d.need,
        referralService: d.referral?.serviceType ?? null,
        openedOn: d.openedOn,
        closedOn: null,
        outcome: null,
        version: Number(event.revision),
      });
    },
    ResidenceRecorded: async (event, em, ctx) => {
      const recordId = recordIdOf(event);
      if (recordId === undefined) return;
      ctx.update(EmploymentRecordRow, { recordId }, { communeCode: event.data.communeCode, version: Number(event.revision) });
      // The follow-ups, enrolments and placements follow the record into the commune's scope.
      for (const table of ['employment_follow_up_row', 'employment_enrolment_row', 'employment_placement_row'])
        await em.query(`UPDATE ${table} SET commune_code = $2 WHERE record_id = $1`, [recordId, event.data.communeCode]);
    },
    NeedAssessed: (event, _em, ctx) => {
      const recordId = recordIdOf(event);
      if (recordId !== undefined) ctx.update(EmploymentRecordRow, { recordId }, { need: event.data.need, version: Number(event.revision) });
    },
    CounsellingSessionHeld: (event, _em, ctx) => {
      touch(event, ctx);
    },
    ReferralOutcomeReported: (event, _em, ctx) => {
      touch(event, ctx);
    },
    TrainingEnrolled: async (event, em, ctx) => {
      const recordId = touch(event, ctx);
      if (recordId === undefined) return;
      const place = await placeOf(em, recordId);
      if (place === undefined) return;
      const d = event.data;
      ctx.upsert(EnrolmentRow, {
        enrolmentId: d.enrolmentId,
        providerId: d.providerId,
        recordId,
        communeCode: place.communeCode,
        provinceCode: place.provinceCode,
        tradeCode: d.tradeCode,
        level: d.level,
        startOn: d.startOn,
        expectedEndOn: d.expectedEndOn,
        funding: d.funding,
        status: 'ENROLLED',
        endedOn: null,
        dropoutReason: null,
      });
    },
    TrainingDroppedOut: (event, _em, ctx) => {
      if (touch(event, ctx) === undefined) return;
      ctx.update(
        EnrolmentRow,
        { enrolmentId: event.data.enrolmentId },
        { status: 'DROPPED_OUT', endedOn: event.data.droppedOn, dropoutReason: event.data.reason },
      );
    },
    TrainingCompleted: (event, _em, ctx) => {
      if (touch(event, ctx) === undefined) return;
      ctx.update(EnrolmentRow, { enrolmentId: event.data.enrolmentId }, { status: 'COMPLETED', endedOn: event.data.completedOn });
    },
    JobStarted: async (event, em, ctx) => {
      const recordId = touch(event, ctx);
      if (recordId === undefined) return;
      const place = await placeOf(em, recordId);
      if (place === undefined) return;
      const d = event.data;
      ctx.upsert(PlacementRow, {
        placementId: d.placementId,
        recordId,
        employerId: d.employerId,
        communeCode: place.communeCode,
        provinceCode: place.provinceCode,
        contractType: d.contractType,
        wageBand: d.wageBand,
        loanProgramme: d.loan?.programme ?? null,
        startOn: d.startOn,
        status: 'WORKING',
        endedOn: null,
        leaveReason: null,
      });
      for (const followUp of event.data.followUps)
        ctx.upsert(FollowUpRow, {
          placementId: event.data.placementId,
          month: followUp.month,
          recordId,
          employerId: event.data.employerId,
          communeCode: place.communeCode,
          provinceCode: place.provinceCode,
          dueOn: followUp.dueOn,
          status: 'PENDING',
          checkedOn: null,
          stillWorking: null,
        });
    },
    JobFollowUpRecorded: async (event, em, ctx) => {
      if (touch(event, ctx) === undefined) return;
      const d = event.data;
      ctx.update(FollowUpRow, { placementId: d.placementId, month: d.month }, { status: 'RECORDED', checkedOn: d.checkedOn, stillWorking: d.stillWorking });
      if (!d.stillWorking) {
        ctx.update(PlacementRow, { placementId: d.placementId }, { status: 'LEFT', endedOn: d.checkedOn, leaveReason: 'NOT_WORKING_AT_FOLLOW_UP' });
        await em.query(`UPDATE employment_follow_up_row SET status = 'CANCELLED' WHERE placement_id = $1 AND status = 'PENDING'`, [d.placementId]);
      }
    },
    JobLeft: async (event, em, ctx) => {
      if (touch(event, ctx) === undefined) return;
      ctx.update(PlacementRow, { placementId: event.data.placementId }, { status: 'LEFT', endedOn: event.data.leftOn, leaveReason: event.data.reason });
      await em.query(`UPDATE employment_follow_up_row SET status = 'CANCELLED' WHERE placement_id = $1 AND status = 'PENDING'`, [event.data.placementId]);
    },
    EmploymentRecordClosed: async (event, em, ctx) => {
      const recordId = recordIdOf(event);
      if (recordId === undefined) return;
      ctx.update(
        EmploymentRecordRow,
        { recordId },
        { status: 'CLOSED', closedOn: event.data.closedOn, outcome: event.data.outcome, version: Number(event.revision) },
      );
      // A closed record is followed up no more.
      await em.query(`UPDATE employment_follow_up_row SET status = 'CANCELLED' WHERE record_id = $1 AND status = 'PENDING'`, [recordId]);
    },
  },
});
