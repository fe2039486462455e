import { Column, Entity, PrimaryColumn } from 'typeorm';
import {
  CrossBorderIntegrationEventTypes,
  validateCrossBorderIntegrationEvent,
  assertValid,
  type CrossBorderIntegrationEvent,
  type CrossBorderRecordKind,
  type ReceivedPersonNeedAsked,
} from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import { writeOutboxMessage } from '@haidang/messaging';
import { defineProjection } from '@haidang/projections';
import { COOPERATION_RECORD_AGGREGATE, figuresOf, type CooperationRecordRegistered, type RecordSealed } from '../cooperation-record/domain';
import { HANDED_OVER_PERSON_AGGREGATE, needsOf, supportApplies, type HandedOverPersonRecorded } from '../handed-over-person/domain';
import { integrationEventId } from './integration-event-id';

/**
 * Translates the cross-border domain events into its integration events (libs/contracts:
 * `cross-border.FiguresRecorded.v1`, `cross-border.RecordSealed.v1`, `cross-border.ReceivedPersonNeedsSupport.v2`) and writes them to the outbox in
 * the same transaction as this projection's checkpoint: each is recorded exactly once in effect and
 * the OutboxPublisher sends it. Codes, ids and figures only: never a text or a person.
 *
 * Keep the version at 1: a new version would be built from position 0 and write every past
 * integration event again (same ids; consumers dedupe on `eventId`).
 */
@Entity({ name: 'integration_cooperation_record' })
export class IntegrationCooperationRecordRow {
  @PrimaryColumn('uuid', { name: 'record_id' }) recordId!: string;
  @Column('text') kind!: string;
  @Column('text', { name: 'province_code' }) provinceCode!: string;
}

type Events = {
  CooperationRecordRegistered: CooperationRecordRegistered['data'];
  RecordSealed: RecordSealed['data'];
  HandedOverPersonRecorded: HandedOverPersonRecorded['data'];
};

const STREAM_PREFIX = `${COOPERATION_RECORD_AGGREGATE}-`;
const recordIdOf = (event: { streamId: string }): string | undefined =>
  event.streamId.startsWith(STREAM_PREFIX) ? event.streamId.slice(STREAM_PREFIX.length) : undefined;

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const agencyOf = (event: RecordedEvent): string => {
  const agency = (event.metadata as { agency?: unknown }).agency;
  return typeof agency === 'string' ? agency : '';
};

async function publish(
  em: Queryable,
  event: RecordedEvent,
  eventName: 'FiguresRecorded' | 'RecordSealed' | 'ReceivedPersonNeedsSupport',
  payload: CrossBorderIntegrationEvent,
): Promise<void> {
  // What leaves the service is checked against the contract first: a broken one stops here, not at a consumer.
  assertValid(payload.type, validateCrossBorderIntegrationEvent(payload));
  const correlationId = (event.metadata as { correlationId?: unknown }).correlationId;
  await writeOutboxMessage(em, {
    id: integrationEventId(event.id, payload.type),
    service: 'cross-border',
    eventName,
    version: payload.version,
    data: { ...payload },
    sourcePosition: event.position,
    sourceStreamId: event.streamId,
    causationId: event.id,
    ...(typeof correlationId === 'string' ? { correlationId } : {}),
    occurredAt: event.created,
  });
}

export const crossBorderIntegrationEventsProjection = defineProjection<Events>({
  name: 'cross_border_integration_events',
  version: 1,
  entities: [IntegrationCooperationRecordRow],
  handlers: {
    CooperationRecordRegistered: async (event, em) => {
      const recordId = recordIdOf(event);
      if (recordId === undefined) return;
      const { details } = event.data;
      // Through the EntityManager, not the write buffer: a seal in the same batch reads it back.
      await em.query(`INSERT INTO integration_cooperation_record (record_id, kind, province_code) VALUES ($1, $2, $3) ON CONFLICT (record_id) DO NOTHING`, [
        recordId,
        event.data.kind,
        event.data.provinceCode,
      ]);
      await publish(em, event, 'FiguresRecorded', {
        type: CrossBorderIntegrationEventTypes.FiguresRecordedV1,
        version: 1,
        eventId: event.id,
        recordId,
        kind: event.data.kind,
        provinceCode: event.data.provinceCode,
        crossingCode: event.data.crossingCode,
        periodFrom: details.kind === 'PERIOD_SUMMARY' ? details.periodFrom : event.data.occurredOn,
        periodTo: details.kind === 'PERIOD_SUMMARY' ? details.periodTo : event.data.occurredOn,
        figures: figuresOf(details).map((f) => ({ category: f.category, value: f.value })),
        supersedesRecordId: event.data.corrects,
        recordedByAgency: agencyOf(event),
        occurredAt: event.created.toISOString(),
      });
    },
    RecordSealed: async (event, em) => {
      const recordId = recordIdOf(event);
      if (recordId === undefined) return;
      const rows = (await em.query(`SELECT kind, province_code FROM integration_cooperation_record WHERE record_id = $1`, [recordId])) as {
        kind: string;
        province_code: string;
      }[];
      const row = rows[0];
      if (row === undefined) return;
      await publish(em, event, 'RecordSealed', {
        type: CrossBorderIntegrationEventTypes.RecordSealedV1,
        version: 1,
        eventId: event.id,
        recordId,
        kind: row.kind as CrossBorderRecordKind,
        provinceCode: row.province_code,
        sealedOn: event.data.sealedOn,
        contentHash: event.data.contentHash,
        recordedByAgency: agencyOf(event),
        occurredAt: event.created.toISOString(),
      });
    },
    // A person received who needs support, now a person of cases: the referrals service refers them, once per need.
    // v2 only: v1 (one supportAgency) stays readable for messages published before, and referrals reads both.
    HandedOverPersonRecorded: async (event, em) => {
      if (!event.streamId.startsWith(`${HANDED_OVER_PERSON_AGGREGATE}-`)) return;
      const { personId, recordId, direction, category, casesPersonId, supportAgency, provinceCode, occurredOn, recordedByAgency } = event.data;
      const needs: ReceivedPersonNeedAsked[] = [
        ...(supportAgency === null ? [] : [{ need: 'VICTIM_SUPPORT' as const, agency: supportAgency }]),
        ...needsOf(event.data).map((n) => ({ need: n.need, agency: n.agency })),
      ];
      if (casesPersonId === null || needs.length === 0 || !supportApplies(direction, category)) return;
      await publish(em, event, 'ReceivedPersonNeedsSupport', {
        type: CrossBorderIntegrationEventTypes.ReceivedPersonNeedsSupportV2,
        version: 2,
        eventId: event.id,
        handedOverPersonId: personId,
        recordId,
        personId: casesPersonId,
        category,
        provinceCode,
        receivedOn: occurredOn,
        receivedByAgency: recordedByAgency,
        needs,
        occurredAt: event.created.toISOString(),
      });
    },
  },
});
