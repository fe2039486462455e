import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ReferralsIntegrationEventTypes, type ReferralAcceptedV1 } from '@haidang/contracts';
import { writeOutboxMessage } from '@haidang/messaging';
import { defineProjection } from '@haidang/projections';
import type { ReferralAccepted, ReferralRedirected, ReferralSent } from '../referral/domain';
import { REFERRAL_AGGREGATE } from '../referral/domain';
import { derivedId } from './integration-event-id';

/**
 * Translates the referrals service's domain events into its integration events (libs/contracts:
 * `referrals.ReferralAccepted.v1`), written to the outbox in the transaction that moves this
 * projection's checkpoint, so each is recorded exactly once in effect; the OutboxPublisher sends
 * them. Cases acts on an accepted REHAB_ADMISSION (it records the admission).
 *
 * Keep the version at 1: a new version would write every past integration event again (same ids;
 * consumers dedupe on `eventId`).
 */
@Entity({ name: 'integration_referral' })
export class IntegrationReferralRow {
  @PrimaryColumn('uuid', { name: 'referral_id' }) referralId!: string;
  @Column('uuid', { name: 'person_id' }) personId!: string;
  @Column('uuid', { name: 'case_id', nullable: true }) caseId!: string | null;
  @Column('text', { name: 'service_type' }) serviceType!: string;
  @Column('text', { name: 'from_agency' }) fromAgency!: string;
  /** The current receiver. */
  @Column('text', { name: 'to_agency' }) toAgency!: string;
}

type Events = {
  ReferralSent: ReferralSent['data'];
  ReferralRedirected: ReferralRedirected['data'];
  ReferralAccepted: ReferralAccepted['data'];
};

const STREAM_PREFIX = `${REFERRAL_AGGREGATE}-`;
const referralIdOf = (event: { streamId: string }): string | undefined =>
  event.streamId.startsWith(STREAM_PREFIX) ? event.streamId.slice(STREAM_PREFIX.length) : undefined;

export const referralsIntegrationEventsProjection = defineProjection<Events>({
  name: 'referrals_integration_events',
  version: 1,
  entities: [IntegrationReferralRow],
  handlers: {
    ReferralSent: (event, _em, ctx) => {
      const referralId = referralIdOf(event);
      if (referralId === undefined) return;
      ctx.upsert(IntegrationReferralRow, {
        referralId,
        personId: event.data.personId,
        caseId: event.data.caseId,
        serviceType: event.data.serviceType,
        fromAgency: event.data.from.code,
        toAgency: event.data.to.code,
      });
    },
    ReferralRedirected: (event, _em, ctx) => {
      const referralId = referralIdOf(event);
      if (referralId !== undefined) ctx.update(IntegrationReferralRow, { referralId }, { toAgency: event.data.to.code });
    },
    ReferralAccepted: async (event, em) => {
      const referralId = referralIdOf(event);
      if (referralId === undefined) return;
      const [row] = (await em.query('SELECT person_id, case_id, service_type, from_agency, to_agency FROM integration_referral WHERE referral_id = $1', [
        referralId,
      ])) as {
        person_id: string;
        case_id: string | null;
        service_type: ReferralAcceptedV1['serviceType'];
        from_agency: string;
        to_agency: string;
      }[];
      // Accepted is reachable only from a sent referral: a missing row is a referral from before this projection, nothing to announce.
      if (!row) return;
      const payload: ReferralAcceptedV1 = {
        type: ReferralsIntegrationEventTypes.ReferralAcceptedV1,
        version: 1,
        eventId: event.id,
        referralId,
        personId: row.person_id,
        caseId: row.case_id,
        serviceType: row.service_type,
        fromAgency: row.from_agency,
        toAgency: row.to_agency,
        acceptedOn: event.data.acceptedOn,
        occurredAt: event.created.toISOString(),
      };
      const correlationId = (event.metadata as { correlationId?: unknown }).correlationId;
      await writeOutboxMessage(em, {
        id: derivedId('integration', payload.type, event.id),
        service: 'referrals',
        eventName: 'ReferralAccepted',
        version: 1,
        data: { ...payload },
        sourcePosition: event.position,
        sourceStreamId: event.streamId,
        causationId: event.id,
        ...(typeof correlationId === 'string' ? { correlationId } : {}),
        occurredAt: event.created,
      });
    },
  },
});
