import { Column, Entity, PrimaryColumn } from 'typeorm';
import {
  EmploymentIntegrationEventTypes,
  type EmploymentIntegrationEvent,
  type JobFollowUpRecordedV1,
  type JobStartedV1,
  type RecordClosedV1,
  type ReferralOutcomeReportedV1,
  type TrainingCompletedV1,
} from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import { writeOutboxMessage } from '@haidang/messaging';
import { defineProjection } from '@haidang/projections';
import {
  EMPLOYMENT_RECORD_AGGREGATE,
  type EmploymentRecordClosed,
  type EmploymentRecordOpened,
  type JobFollowUpRecorded,
  type JobStarted,
  type ReferralOutcomeReported,
  type ResidenceRecorded,
  type TrainingCompleted,
  type TrainingEnrolled,
} from '../employment-record/domain/employment-record.events';
import { integrationEventId } from './integration-event-id';

/**
 * Translates the employment service's domain events into its integration events (libs/contracts:
 * `employment.TrainingCompleted.v1`, `employment.JobStarted.v1`, `employment.JobFollowUpRecorded.v1`,
 * `employment.RecordClosed.v1`, `employment.ReferralOutcomeReported.v1`) and writes them to the
 * outbox in the same transaction as this projection's checkpoint: each is recorded exactly once in
 * effect and the OutboxPublisher sends it. Codes and ids only; the small tables below hold what the
 * domain event of a step does not (the record's person and place, the enrolment's trade).
 *
 * Keep the version at 1: a new version would be built from position 0 and write every past
 * integration event again (same ids: consumers dedupe on `eventId`).
 */
@Entity({ name: 'employment_integration_record' })
export class IntegrationRecordRow {
  @PrimaryColumn('uuid', { name: 'record_id' }) recordId!: string;
  @Column('uuid', { name: 'person_id' }) personId!: string;
  @Column('text', { name: 'commune_code', nullable: true }) communeCode!: string | null;
  @Column('text', { name: 'province_code' }) provinceCode!: string;
  @Column('text', { name: 'referral_service', nullable: true }) referralService!: string | null;
  @Column('text', { name: 'accepted_by', nullable: true }) acceptedBy!: string | null;
}

@Entity({ name: 'employment_integration_enrolment' })
export class IntegrationEnrolmentRow {
  @PrimaryColumn('uuid', { name: 'enrolment_id' }) enrolmentId!: string;
  @Column('uuid', { name: 'provider_id' }) providerId!: string;
  @Column('text', { name: 'trade_code' }) tradeCode!: string;
  @Column('text') level!: string;
  @Column('text') funding!: string;
  @Column('text', { name: 'start_on' }) startOn!: string;
}

type Events = {
  EmploymentRecordOpened: EmploymentRecordOpened['data'];
  ResidenceRecorded: ResidenceRecorded['data'];
  TrainingEnrolled: TrainingEnrolled['data'];
  TrainingCompleted: TrainingCompleted['data'];
  JobStarted: JobStarted['data'];
  JobFollowUpRecorded: JobFollowUpRecorded['data'];
  ReferralOutcomeReported: ReferralOutcomeReported['data'];
  EmploymentRecordClosed: EmploymentRecordClosed['data'];
};

const STREAM_PREFIX = `${EMPLOYMENT_RECORD_AGGREGATE}-`;
const recordIdOf = (event: { streamId: string }): string | undefined =>
  event.streamId.startsWith(STREAM_PREFIX) ? event.streamId.slice(STREAM_PREFIX.length) : undefined;

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

interface RecordFacts {
  readonly personId: string;
  readonly communeCode: string | null;
  readonly provinceCode: string;
  readonly referralService: string | null;
  readonly acceptedBy: string | null;
}

async function recordFacts(em: Queryable, recordId: string): Promise<RecordFacts | undefined> {
  const rows = (await em.query(
    `SELECT person_id, commune_code, province_code, referral_service, accepted_by FROM employment_integration_record WHERE record_id = $1`,
    [recordId],
  )) as { person_id: string; commune_code: string | null; province_code: string; referral_service: string | null; accepted_by: string | null }[];
  const row = rows[0];
  return row === undefined
    ? undefined
    : {
        personId: row.person_id,
        communeCode: row.commune_code,
        provinceCode: row.province_code,
        referralService: row.referral_service,
        acceptedBy: row.accepted_by,
      };
}

/** What every employment integration event repeats. */
const baseOf = (event: RecordedEvent, recordId: string, facts: RecordFacts) => ({
  eventId: event.id,
  recordId,
  personId: facts.personId,
  communeCode: facts.communeCode,
  provinceCode: facts.provinceCode,
  occurredAt: event.created.toISOString(),
});

const NAMES: Record<EmploymentIntegrationEvent['type'], string> = {
  [EmploymentIntegrationEventTypes.TrainingCompletedV1]: 'TrainingCompleted',
  [EmploymentIntegrationEventTypes.JobStartedV1]: 'JobStarted',
  [EmploymentIntegrationEventTypes.JobFollowUpRecordedV1]: 'JobFollowUpRecorded',
  [EmploymentIntegrationEventTypes.RecordClosedV1]: 'RecordClosed',
  [EmploymentIntegrationEventTypes.ReferralOutcomeReportedV1]: 'ReferralOutcomeReported',
};

async function publish(em: Queryable, event: RecordedEvent, payload: EmploymentIntegrationEvent): Promise<void> {
  const correlationId = (event.metadata as { correlationId?: unknown }).correlationId;
  await writeOutboxMessage(em, {
    id: integrationEventId(event.id, payload.type),
    service: 'employment',
    eventName: NAMES[payload.type],
    version: 1,
    data: { ...payload },
    sourcePosition: event.position,
    sourceStreamId: event.streamId,
    causationId: event.id,
    ...(typeof correlationId === 'string' ? { correlationId } : {}),
    occurredAt: event.created,
  });
}

export const employmentIntegrationEventsProjection = defineProjection<Events>({
  name: 'employment_integration_events',
  version: 1,
  entities: [IntegrationRecordRow, IntegrationEnrolmentRow],
  handlers: {
    EmploymentRecordOpened: (event, _em, ctx) => {
      const recordId = recordIdOf(event);
      if (recordId === undefined) return;
      const d = event.data;
      ctx.upsert(IntegrationRecordRow, {
        recordId,
        personId: d.personId,
        communeCode: d.communeCode,
        provinceCode: d.provinceCode,
        referralService: d.referral?.serviceType ?? null,
        acceptedBy: d.referral?.acceptedBy ?? null,
      });
    },
    ResidenceRecorded: (event, _em, ctx) => {
      const recordId = recordIdOf(event);
      if (recordId !== undefined) ctx.update(IntegrationRecordRow, { recordId }, { communeCode: event.data.communeCode });
    },
    TrainingEnrolled: (event, _em, ctx) => {
      if (recordIdOf(event) === undefined) return;
      const d = event.data;
      ctx.upsert(IntegrationEnrolmentRow, {
        enrolmentId: d.enrolmentId,
        providerId: d.providerId,
        tradeCode: d.tradeCode,
        level: d.level,
        funding: d.funding,
        startOn: d.startOn,
      });
    },
    TrainingCompleted: async (event, em) => {
      const recordId = recordIdOf(event);
      const facts = recordId === undefined ? undefined : await recordFacts(em, recordId);
      if (recordId === undefined || facts === undefined) return;
      const rows = (await em.query(`SELECT provider_id, trade_code, level, funding, start_on FROM employment_integration_enrolment WHERE enrolment_id = $1`, [
        event.data.enrolmentId,
      ])) as { provider_id: string; trade_code: string; level: string; funding: string; start_on: string }[];
      const enrolment = rows[0];
      if (enrolment === undefined) return;
      const payload: TrainingCompletedV1 = {
        type: EmploymentIntegrationEventTypes.TrainingCompletedV1,
        version: 1,
        ...baseOf(event, recordId, facts),
        enrolmentId: event.data.enrolmentId,
        providerId: enrolment.provider_id,
        tradeCode: enrolment.trade_code,
        level: enrolment.level as TrainingCompletedV1['level'],
        funding: enrolment.funding as TrainingCompletedV1['funding'],
        startOn: enrolment.start_on,
        completedOn: event.data.completedOn,
      };
      await publish(em, event, payload);
    },
    JobStarted: async (event, em) => {
      const recordId = recordIdOf(event);
      const facts = recordId === undefined ? undefined : await recordFacts(em, recordId);
      if (recordId === undefined || facts === undefined) return;
      const d = event.data;
      const payload: JobStartedV1 = {
        type: EmploymentIntegrationEventTypes.JobStartedV1,
        version: 1,
        ...baseOf(event, recordId, facts),
        placementId: d.placementId,
        employerId: d.employerId,
        contractType: d.contractType,
        wageBand: d.wageBand,
        withPreferentialLoan: d.loan !== null,
        startOn: d.startOn,
      };
      await publish(em, event, payload);
    },
    JobFollowUpRecorded: async (event, em) => {
      const recordId = recordIdOf(event);
      const facts = recordId === undefined ? undefined : await recordFacts(em, recordId);
      if (recordId === undefined || facts === undefined) return;
      const d = event.data;
      const payload: JobFollowUpRecordedV1 = {
        type: EmploymentIntegrationEventTypes.JobFollowUpRecordedV1,
        version: 1,
        ...baseOf(event, recordId, facts),
        placementId: d.placementId,
        month: d.month,
        checkedOn: d.checkedOn,
        stillWorking: d.stillWorking,
      };
      await publish(em, event, payload);
    },
    ReferralOutcomeReported: async (event, em) => {
      const recordId = recordIdOf(event);
      const facts = recordId === undefined ? undefined : await recordFacts(em, recordId);
      if (recordId === undefined || facts === undefined || facts.referralService === null || facts.acceptedBy === null) return;
      const payload: ReferralOutcomeReportedV1 = {
        type: EmploymentIntegrationEventTypes.ReferralOutcomeReportedV1,
        version: 1,
        ...baseOf(event, recordId, facts),
        referralId: event.data.referralId,
        serviceType: facts.referralService as ReferralOutcomeReportedV1['serviceType'],
        outcome: event.data.outcome,
        reportedBy: facts.acceptedBy,
        reportedOn: event.data.reportedOn,
      };
      await publish(em, event, payload);
    },
    EmploymentRecordClosed: async (event, em) => {
      const recordId = recordIdOf(event);
      const facts = recordId === undefined ? undefined : await recordFacts(em, recordId);
      if (recordId === undefined || facts === undefined) return;
      const payload: RecordClosedV1 = {
        type: EmploymentIntegrationEventTypes.RecordClosedV1,
        version: 1,
        ...baseOf(event, recordId, facts),
        outcome: event.data.outcome,
        closedOn: event.data.closedOn,
      };
      await publish(em, event, payload);
    },
  },
});
