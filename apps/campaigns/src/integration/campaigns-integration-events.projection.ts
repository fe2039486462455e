import {
  CampaignsIntegrationEventTypes as T,
  type ActivityRecordedV1,
  type ActivityWithdrawnV1,
  type EstablishmentClosedV1,
  type EstablishmentRegisteredV1,
  type TrainingHeldV1,
  type ArticlePublishedV1,
  type CampaignsIntegrationEvent,
  type DistrictPlanAdoptedV1,
  type StaffHeadcountRecordedV1,
  type PlanAdoptedV1,
  type PlanAmendedV1,
  type SupportModelActivityLoggedV1,
  type SupportModelDeactivatedV1,
  type SupportModelFoundedV1,
  type SupportModelReactivatedV1,
  type SurveyRecordedV1,
} from '@haidang/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RecordedEvent } from '@haidang/event-store';
import { writeOutboxMessage } from '@haidang/messaging';
import { defineProjection } from '@haidang/projections';
import type { ActivityRecorded, ActivityWithdrawn } from '../activity/domain/activity.events';
import type { EstablishmentClosed, EstablishmentRegistered } from '../establishment/domain/establishment.events';
import type { PlanAdopted, PlanAmended } from '../plan/domain/plan.events';
import type { TrainingHeld } from '../training/domain/training.events';
import type {
  SupportModelActivityLogged,
  SupportModelDeactivated,
  SupportModelFounded,
  SupportModelReactivated,
} from '../support-model/domain/support-model.events';
import type { StaffHeadcountChanged, StaffRosterRegistered } from '../staff/domain/staff-roster.events';
import type { SurveyRecorded } from '../survey/domain/survey.events';
import { integrationEventId } from './integration-event-id';

/** What the later events of a support model repeat: its code (their data does not carry it). */
@Entity({ name: 'integration_support_model' })
export class IntegrationSupportModelRow {
  @PrimaryColumn('uuid', { name: 'model_id' }) modelId!: string;
  @Column('text', { name: 'model_code' }) modelCode!: string;
}

/**
 * Translates the campaigns service's domain events into its integration events (libs/contracts,
 * `campaigns.*.v1`) and writes them to the outbox in the same transaction as this projection's
 * checkpoint: each is recorded exactly once in effect and the OutboxPublisher sends it as
 * `int.campaigns.<Event>.v1`. Everything in these events is codes, dates and counts.
 *
 * Keep the version at 1: a new version would be built from position 0 and write every past
 * integration event again (same ids, so consumers dedupe on `eventId`).
 */
type Events = {
  PlanAdopted: PlanAdopted['data'];
  PlanAmended: PlanAmended['data'];
  ActivityRecorded: ActivityRecorded['data'];
  ActivityWithdrawn: ActivityWithdrawn['data'];
  SupportModelFounded: SupportModelFounded['data'];
  SupportModelDeactivated: SupportModelDeactivated['data'];
  SupportModelReactivated: SupportModelReactivated['data'];
  SupportModelActivityLogged: SupportModelActivityLogged['data'];
  SurveyRecorded: SurveyRecorded['data'];
  TrainingHeld: TrainingHeld['data'];
  EstablishmentRegistered: EstablishmentRegistered['data'];
  EstablishmentClosed: EstablishmentClosed['data'];
  StaffRosterRegistered: StaffRosterRegistered['data'];
  StaffHeadcountChanged: StaffHeadcountChanged['data'];
};

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** The id of a stream of `aggregate`, or undefined for another stream (a same-named event of another service). */
const idIn = (aggregate: string, event: { readonly streamId: string }): string | undefined =>
  event.streamId.startsWith(`${aggregate}-`) ? event.streamId.slice(aggregate.length + 1) : undefined;

const baseOf = (event: RecordedEvent) => ({ version: 1 as const, eventId: event.id, occurredAt: event.created.toISOString() });

async function publish(em: Queryable, event: RecordedEvent, payload: CampaignsIntegrationEvent): Promise<void> {
  const metadata = event.metadata as { correlationId?: unknown };
  const eventName = payload.type.split('.')[1] as string;
  await writeOutboxMessage(em, {
    id: integrationEventId(event.id, payload.type),
    service: 'campaigns',
    eventName,
    version: 1,
    data: { ...payload },
    sourcePosition: event.position,
    sourceStreamId: event.streamId,
    causationId: event.id,
    ...(typeof metadata.correlationId === 'string' ? { correlationId: metadata.correlationId } : {}),
    occurredAt: event.created,
  });
}

/** Every count of the staff register, the first and the later ones alike: the projections service keeps the latest as of a day. */
async function publishHeadcount(em: Queryable, event: RecordedEvent, d: StaffRosterRegistered['data']): Promise<void> {
  if (idIn('StaffRoster', event) === undefined) return;
  const payload: StaffHeadcountRecordedV1 = {
    type: T.StaffHeadcountRecordedV1,
    ...baseOf(event),
    rosterId: d.rosterId,
    provinceCode: d.provinceCode,
    agencyCode: d.agencyCode,
    group: d.group,
    headcount: d.headcount,
    asOf: d.asOf,
  };
  await publish(em, event, payload);
}

async function modelCodeOf(em: Queryable, modelId: string): Promise<string | undefined> {
  const rows = (await em.query(`SELECT model_code FROM integration_support_model WHERE model_id = $1`, [modelId])) as { model_code: string }[];
  return rows[0]?.model_code;
}

export const campaignsIntegrationEventsProjection = defineProjection<Events>({
  name: 'campaigns_integration_events',
  version: 1,
  entities: [IntegrationSupportModelRow],
  handlers: {
    PlanAdopted: async (event, em) => {
      const planId = idIn('Plan', event);
      if (planId === undefined) return;
      const d = event.data;
      const payload: PlanAdoptedV1 = {
        type: T.PlanAdoptedV1,
        ...baseOf(event),
        planId,
        provinceCode: d.provinceCode,
        issuedBy: d.issuedBy,
        number: d.number,
        issuedOn: d.issuedOn,
        leadAgency: d.leadAgency,
        periodFrom: d.periodFrom,
        periodTo: d.periodTo,
        parentPlanId: d.parentPlanId,
        targets: d.targets,
      };
      await publish(em, event, payload);
      const districtName = d.districtName ?? null;
      if (districtName === null || d.parentPlanId === null) return;
      const district: DistrictPlanAdoptedV1 = {
        type: T.DistrictPlanAdoptedV1,
        ...baseOf(event),
        planId,
        parentPlanId: d.parentPlanId,
        provinceCode: d.provinceCode,
        districtName,
        issuedOn: d.issuedOn,
        periodFrom: d.periodFrom,
        periodTo: d.periodTo,
      };
      await publish(em, event, district);
    },
    PlanAmended: async (event, em) => {
      const planId = idIn('Plan', event);
      if (planId === undefined) return;
      const d = event.data;
      const payload: PlanAmendedV1 = {
        type: T.PlanAmendedV1,
        ...baseOf(event),
        planId,
        amendmentNo: d.amendmentNo,
        number: d.number,
        issuedOn: d.issuedOn,
        effectiveFrom: d.effectiveFrom,
        targets: d.targets,
      };
      await publish(em, event, payload);
    },
    ActivityRecorded: async (event, em) => {
      const activityId = idIn('Activity', event);
      if (activityId === undefined) return;
      const d = event.data;
      const recorded: ActivityRecordedV1 = {
        type: T.ActivityRecordedV1,
        ...baseOf(event),
        activityId,
        provinceCode: d.provinceCode,
        communeCodes: d.communeCodes,
        organiser: d.organiser,
        heldOn: d.heldOn,
        form: d.form,
        venueType: d.venueType,
        audienceType: d.audienceType,
        audienceCount: d.audienceCount,
        campaignMonth: d.campaignMonth,
        planId: d.planId,
        establishmentIds: d.establishmentIds,
      };
      await publish(em, event, recorded);
      if (d.article === null) return;
      const article: ArticlePublishedV1 = {
        type: T.ArticlePublishedV1,
        ...baseOf(event),
        activityId,
        provinceCode: d.provinceCode,
        publishedOn: d.heldOn,
        outlet: d.article.outlet,
        outletLevel: d.article.outletLevel,
        url: d.article.url,
        planId: d.planId,
      };
      await publish(em, event, article);
    },
    ActivityWithdrawn: async (event, em) => {
      const activityId = idIn('Activity', event);
      if (activityId === undefined) return;
      const payload: ActivityWithdrawnV1 = { type: T.ActivityWithdrawnV1, ...baseOf(event), activityId, withdrawnOn: event.data.withdrawnOn };
      await publish(em, event, payload);
    },
    SupportModelFounded: async (event, em) => {
      const modelId = idIn('SupportModel', event);
      if (modelId === undefined) return;
      const d = event.data;
      await em.query(`INSERT INTO integration_support_model (model_id, model_code) VALUES ($1, $2) ON CONFLICT (model_id) DO NOTHING`, [modelId, d.modelCode]);
      const payload: SupportModelFoundedV1 = {
        type: T.SupportModelFoundedV1,
        ...baseOf(event),
        modelId,
        modelCode: d.modelCode,
        kind: d.kind,
        ownerType: d.ownerType,
        ownerAgency: d.ownerAgency,
        communeCode: d.communeCode,
        provinceCode: d.provinceCode,
        foundedOn: d.foundedOn,
      };
      await publish(em, event, payload);
    },
    SupportModelDeactivated: async (event, em) => {
      const modelId = idIn('SupportModel', event);
      const modelCode = modelId === undefined ? undefined : await modelCodeOf(em, modelId);
      if (modelId === undefined || modelCode === undefined) return;
      const payload: SupportModelDeactivatedV1 = {
        type: T.SupportModelDeactivatedV1,
        ...baseOf(event),
        modelId,
        modelCode,
        deactivatedOn: event.data.deactivatedOn,
      };
      await publish(em, event, payload);
    },
    SupportModelReactivated: async (event, em) => {
      const modelId = idIn('SupportModel', event);
      const modelCode = modelId === undefined ? undefined : await modelCodeOf(em, modelId);
      if (modelId === undefined || modelCode === undefined) return;
      const payload: SupportModelReactivatedV1 = {
        type: T.SupportModelReactivatedV1,
        ...baseOf(event),
        modelId,
        modelCode,
        reactivatedOn: event.data.reactivatedOn,
      };
      await publish(em, event, payload);
    },
    SupportModelActivityLogged: async (event, em) => {
      const modelId = idIn('SupportModel', event);
      const modelCode = modelId === undefined ? undefined : await modelCodeOf(em, modelId);
      if (modelId === undefined || modelCode === undefined) return;
      const d = event.data;
      const payload: SupportModelActivityLoggedV1 = {
        type: T.SupportModelActivityLoggedV1,
        ...baseOf(event),
        modelId,
        modelCode,
        periodFrom: d.periodFrom,
        periodTo: d.periodTo,
        meetings: d.meetings,
        members: d.members,
        personsSupported: d.personsSupported,
      };
      await publish(em, event, payload);
    },
    SurveyRecorded: async (event, em) => {
      const surveyId = idIn('Survey', event);
      if (surveyId === undefined) return;
      const d = event.data;
      const payload: SurveyRecordedV1 = {
        type: T.SurveyRecordedV1,
        ...baseOf(event),
        surveyId,
        provinceCode: d.provinceCode,
        conductedFrom: d.conductedFrom,
        conductedTo: d.conductedTo,
        planId: d.planId,
        results: d.results,
      };
      await publish(em, event, payload);
    },
    TrainingHeld: async (event, em) => {
      const trainingId = idIn('Training', event);
      if (trainingId === undefined) return;
      const d = event.data;
      const payload: TrainingHeldV1 = {
        type: T.TrainingHeldV1,
        ...baseOf(event),
        trainingId,
        provinceCode: d.provinceCode,
        organiser: d.organiser,
        heldOn: d.heldOn,
        participants: d.participants,
        planId: d.planId,
      };
      await publish(em, event, payload);
    },
    EstablishmentRegistered: async (event, em) => {
      const establishmentId = idIn('Establishment', event);
      if (establishmentId === undefined) return;
      const d = event.data;
      const payload: EstablishmentRegisteredV1 = {
        type: T.EstablishmentRegisteredV1,
        ...baseOf(event),
        establishmentId,
        kind: d.kind,
        schoolLevel: d.schoolLevel,
        communeCode: d.communeCode,
        provinceCode: d.provinceCode,
        openedOn: d.openedOn,
      };
      await publish(em, event, payload);
    },
    StaffRosterRegistered: async (event, em) => {
      await publishHeadcount(em, event, event.data);
    },
    StaffHeadcountChanged: async (event, em) => {
      await publishHeadcount(em, event, event.data);
    },
    EstablishmentClosed: async (event, em) => {
      const establishmentId = idIn('Establishment', event);
      if (establishmentId === undefined) return;
      const payload: EstablishmentClosedV1 = { type: T.EstablishmentClosedV1, ...baseOf(event), establishmentId, closedOn: event.data.closedOn };
      await publish(em, event, payload);
    },
  },
});
