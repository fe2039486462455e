import { Column, Entity, PrimaryColumn } from 'typeorm';
import {
  CasesIntegrationEventTypes,
  type PersonErasedV1,
  type PostRehabManagementStartedV1,
  type RehabCompletedV1,
  type RehabStartedV1,
} from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import { writeOutboxMessage } from '@haidang/messaging';
import { defineProjection } from '@haidang/projections';
import type { PersonErasedV1 as PersonErasedData, PersonRegisteredV1 } from '../person/domain';
import {
  REHAB_CASE_AGGREGATE,
  type PostRehabManagementStarted,
  type RehabCaseRegistered,
  type RehabCompleted,
  type RehabFormDecided,
  type RehabStarted,
} from '../rehab-case/domain';
import { integrationEventId } from './integration-event-id';

/**
 * Translates the cases service's domain events into its integration events (libs/contracts:
 * `cases.RehabStarted.v1`, `cases.RehabCompleted.v1`, `cases.PersonErased.v1`) and writes them to the outbox in the same
 * transaction as this projection's checkpoint: each is recorded exactly once in effect and the
 * OutboxPublisher sends it. The events carry codes and ids only; the small tables below hold what
 * the domain events of the step do not (the form, the person's commune).
 *
 * Keep the version at 1: a new version would be built from position 0 and write every past
 * integration event again (same ids, so rows still in the outbox are not doubled, but rows already
 * published and pruned would be sent again; consumers dedupe on `eventId`).
 */
@Entity({ name: 'integration_case' })
export class IntegrationCaseRow {
  @PrimaryColumn('uuid', { name: 'case_id' }) caseId!: string;
  @Column('uuid', { name: 'person_id' }) personId!: string;
  @Column('text', { nullable: true }) form!: string | null;
}

@Entity({ name: 'integration_person' })
export class IntegrationPersonRow {
  @PrimaryColumn('uuid', { name: 'person_id' }) personId!: string;
  @Column('text', { name: 'commune_code' }) communeCode!: string;
}

type Events = {
  PersonRegistered: PersonRegisteredV1;
  PersonErased: PersonErasedData;
  RehabCaseRegistered: RehabCaseRegistered['data'];
  RehabFormDecided: RehabFormDecided['data'];
  RehabStarted: RehabStarted['data'];
  RehabCompleted: RehabCompleted['data'];
  PostRehabManagementStarted: PostRehabManagementStarted['data'];
};

const STREAM_PREFIX = `${REHAB_CASE_AGGREGATE}-`;
const caseIdOf = (event: { streamId: string }): string | undefined =>
  event.streamId.startsWith(STREAM_PREFIX) ? event.streamId.slice(STREAM_PREFIX.length) : undefined;

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** What every cases integration event repeats, read from this projection's tables. */
async function caseFacts(em: Queryable, caseId: string): Promise<{ personId: string; form: string; communeCode: string } | undefined> {
  const rows = (await em.query(
    `SELECT c.person_id, c.form, p.commune_code FROM integration_case c JOIN integration_person p ON p.person_id = c.person_id WHERE c.case_id = $1`,
    [caseId],
  )) as { person_id: string; form: string | null; commune_code: string }[];
  const row = rows[0];
  // A case without a form cannot start (the decider refuses it); a person unknown here has no commune to report.
  return row && row.form !== null ? { personId: row.person_id, form: row.form, communeCode: row.commune_code } : undefined;
}

function metadataOf(event: RecordedEvent): { agency: string; correlationId?: string } {
  const metadata = event.metadata as { agency?: unknown; correlationId?: unknown };
  return {
    agency: typeof metadata.agency === 'string' ? metadata.agency : '',
    ...(typeof metadata.correlationId === 'string' ? { correlationId: metadata.correlationId } : {}),
  };
}

async function publish(
  em: Queryable,
  event: RecordedEvent,
  eventName: 'RehabStarted' | 'RehabCompleted' | 'PersonErased' | 'PostRehabManagementStarted',
  payload: RehabStartedV1 | RehabCompletedV1 | PersonErasedV1 | PostRehabManagementStartedV1,
): Promise<void> {
  const { correlationId } = metadataOf(event);
  await writeOutboxMessage(em, {
    id: integrationEventId(event.id, payload.type),
    service: 'cases',
    eventName,
    version: 1,
    data: { ...payload },
    sourcePosition: event.position,
    sourceStreamId: event.streamId,
    causationId: event.id,
    ...(correlationId === undefined ? {} : { correlationId }),
    occurredAt: event.created,
  });
}

export const casesIntegrationEventsProjection = defineProjection<Events>({
  name: 'cases_integration_events',
  version: 1,
  entities: [IntegrationCaseRow, IntegrationPersonRow],
  handlers: {
    PersonRegistered: (event, _em, ctx) => ctx.upsert(IntegrationPersonRow, { personId: event.data.personId, communeCode: event.data.residence.communeCode }),
    PersonErased: (event, em) =>
      publish(em, event, 'PersonErased', {
        type: CasesIntegrationEventTypes.PersonErasedV1,
        version: 1,
        eventId: event.id,
        personId: event.data.personId,
        occurredAt: event.created.toISOString(),
      }),
    RehabCaseRegistered: (event, _em, ctx) => {
      if (caseIdOf(event) === undefined) return;
      ctx.upsert(IntegrationCaseRow, { caseId: event.data.caseId, personId: event.data.personId, form: null });
    },
    RehabFormDecided: (event, _em, ctx) => {
      const caseId = caseIdOf(event);
      if (caseId !== undefined) ctx.update(IntegrationCaseRow, { caseId }, { form: event.data.form });
    },
    RehabStarted: async (event, em) => {
      const caseId = caseIdOf(event);
      const facts = caseId === undefined ? undefined : await caseFacts(em, caseId);
      if (caseId === undefined || facts === undefined) return;
      await publish(em, event, 'RehabStarted', {
        type: CasesIntegrationEventTypes.RehabStartedV1,
        version: 1,
        eventId: event.id,
        caseId,
        personId: facts.personId,
        form: facts.form as RehabStartedV1['form'],
        communeCode: facts.communeCode,
        recordedByAgency: metadataOf(event).agency,
        occurredAt: event.created.toISOString(),
        startedOn: event.data.startedOn,
        expectedEndOn: event.data.expectedEndOn,
      });
    },
    RehabCompleted: async (event, em) => {
      const caseId = caseIdOf(event);
      const facts = caseId === undefined ? undefined : await caseFacts(em, caseId);
      if (caseId === undefined || facts === undefined) return;
      await publish(em, event, 'RehabCompleted', {
        type: CasesIntegrationEventTypes.RehabCompletedV1,
        version: 1,
        eventId: event.id,
        caseId,
        personId: facts.personId,
        form: facts.form as RehabCompletedV1['form'],
        communeCode: facts.communeCode,
        recordedByAgency: metadataOf(event).agency,
        occurredAt: event.created.toISOString(),
        completedOn: event.data.completedOn,
      });
    },
    // For the projections service's "under post-rehab management" (issue 15). Added without a new
    // version (see above): starts published before this handler existed are not sent.
    PostRehabManagementStarted: async (event, em) => {
      const caseId = caseIdOf(event);
      const facts = caseId === undefined ? undefined : await caseFacts(em, caseId);
      if (caseId === undefined || facts === undefined) return;
      await publish(em, event, 'PostRehabManagementStarted', {
        type: CasesIntegrationEventTypes.PostRehabManagementStartedV1,
        version: 1,
        eventId: event.id,
        caseId,
        personId: facts.personId,
        form: facts.form as PostRehabManagementStartedV1['form'],
        communeCode: facts.communeCode,
        recordedByAgency: metadataOf(event).agency,
        occurredAt: event.created.toISOString(),
        startedOn: event.data.startedOn,
        endsOn: event.data.endsOn,
      });
    },
  },
});
