import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { defineProjection, type ProjectionWrites } from '@haidang/projections';
import type {
  ConsentWithdrawn,
  ReferralAccepted,
  ReferralCompleted,
  ReferralDeclined,
  ReferralOverdue,
  ReferralProposed,
  ReferralRedirected,
  ReferralSent,
  ReferralWithdrawn,
} from '../../referral/domain';
import { REFERRAL_AGGREGATE } from '../../referral/domain';

/**
 * The referrals read model behind the incoming and outgoing lists: ids, agency codes, codes (the
 * coded reason among them), status, dates and the overdue flag. No personal field and no free text (the reason and notes
 * stay encrypted in the log), so it needs no redaction when a person is erased.
 */
@Entity({ name: 'referral_row' })
export class ReferralRow {
  @PrimaryColumn('uuid', { name: 'referral_id' }) referralId!: string;
  @Index() @Column('uuid', { name: 'person_id' }) personId!: string;
  @Column('uuid', { name: 'case_id', nullable: true }) caseId!: string | null;
  @Index() @Column('text', { name: 'from_agency' }) fromAgency!: string;
  /** The current receiver; null for a draft without one. */
  @Index() @Column('text', { name: 'to_agency', nullable: true }) toAgency!: string | null;
  @Column('text', { name: 'service_type' }) serviceType!: string;
  /** The coded reason (issue 10 §10): a code of the service type's list, never free text; null when none was given. */
  @Column('text', { name: 'reason_code', nullable: true }) reasonCode!: string | null;
  @Column('text') urgency!: string;
  @Index() @Column('text') status!: string;
  // Days in Vietnam as ISO strings (no time zone to shift them).
  @Column('text', { name: 'proposed_on', nullable: true }) proposedOn!: string | null;
  @Column('text', { name: 'sent_on', nullable: true }) sentOn!: string | null;
  @Column('text', { name: 'due_on', nullable: true }) dueOn!: string | null;
  /** Marked overdue for the current receiver (cleared by a redirect). */
  @Column('boolean') overdue!: boolean;
  /** The day the deadline checker marked the current receiver overdue (the supervisors' escalation list); null when not marked. */
  @Column('text', { name: 'overdue_marked_on', nullable: true }) overdueMarkedOn!: string | null;
  @Column('text', { name: 'accepted_on', nullable: true }) acceptedOn!: string | null;
  @Column('text', { name: 'closed_on', nullable: true }) closedOn!: string | null;
  @Column('boolean', { name: 'consent_withdrawn' }) consentWithdrawn!: boolean;
  // The receiver's ground, as flags (no consent text): the incoming list shows the case id only
  // where `receiverAccess` allows, as the single read does.
  @Column('boolean', { name: 'shares_treatment_data' }) sharesTreatmentData!: boolean;
  @Column('boolean', { name: 'has_legal_basis' }) hasLegalBasis!: boolean;
  @Column('boolean', { name: 'consent_covers_service' }) consentCoversService!: boolean;
  @Column('boolean', { name: 'consent_covers_treatment_data' }) consentCoversTreatmentData!: boolean;
  @Column('integer') version!: number;
}

type Events = {
  ReferralProposed: ReferralProposed['data'];
  ReferralSent: ReferralSent['data'];
  ReferralAccepted: ReferralAccepted['data'];
  ReferralDeclined: ReferralDeclined['data'];
  ReferralRedirected: ReferralRedirected['data'];
  ReferralWithdrawn: ReferralWithdrawn['data'];
  ReferralCompleted: ReferralCompleted['data'];
  ConsentWithdrawn: ConsentWithdrawn['data'];
  ReferralOverdue: ReferralOverdue['data'];
};

const STREAM_PREFIX = `${REFERRAL_AGGREGATE}-`;

/** The referral id of an event of a referral stream; undefined for another service's stream (a shared embedded database). */
function referralIdOf(event: { streamId: string }): string | undefined {
  return event.streamId.startsWith(STREAM_PREFIX) ? event.streamId.slice(STREAM_PREFIX.length) : undefined;
}

/** The definition at a given version; the service runs `referralsProjection` (tests rebuild another version of the same). */
export const defineReferralsProjection = (version: number) =>
  defineProjection<Events>({
    name: 'referrals_referrals',
    version,
    entities: [ReferralRow],
    handlers: {
      ReferralProposed: (event, _em, ctx) => {
        const referralId = referralIdOf(event);
        if (referralId === undefined) return;
        const d = event.data;
        ctx.upsert(ReferralRow, {
          referralId,
          personId: d.personId,
          caseId: d.caseId,
          fromAgency: d.from.code,
          toAgency: d.to?.code ?? null,
          serviceType: d.serviceType,
          reasonCode: d.reasonCode ?? null,
          urgency: d.urgency,
          status: 'DRAFT',
          proposedOn: d.proposedOn,
          sentOn: null,
          dueOn: null,
          overdue: false,
          overdueMarkedOn: null,
          acceptedOn: null,
          closedOn: null,
          consentWithdrawn: false,
          ...groundOf(d),
          version: Number(event.revision),
        });
      },
      // Self-contained (sent directly or from a draft): an upsert that keeps a draft's proposal day.
      ReferralSent: async (event, em, ctx) => {
        const referralId = referralIdOf(event);
        if (referralId === undefined) return;
        const d = event.data;
        const [draft] = (await em.query('SELECT proposed_on, consent_withdrawn FROM referral_row WHERE referral_id = $1', [referralId])) as {
          proposed_on: string | null;
          consent_withdrawn: boolean;
        }[];
        ctx.upsert(ReferralRow, {
          referralId,
          personId: d.personId,
          caseId: d.caseId,
          fromAgency: d.from.code,
          toAgency: d.to.code,
          serviceType: d.serviceType,
          reasonCode: d.reasonCode ?? null,
          urgency: d.urgency,
          status: 'SENT',
          proposedOn: draft?.proposed_on ?? null,
          sentOn: d.sentOn,
          dueOn: d.dueOn,
          overdue: false,
          overdueMarkedOn: null,
          acceptedOn: null,
          closedOn: null,
          consentWithdrawn: draft?.consent_withdrawn ?? false,
          ...groundOf(d),
          version: Number(event.revision),
        });
      },
      // An answered or closed referral is no longer late: the flag (and the escalation's day) clears,
      // so `overdue=true` lists and the escalation list hold pending referrals only.
      ReferralAccepted: (event, _em, ctx) => update(event, ctx, { status: 'ACCEPTED', acceptedOn: event.data.acceptedOn, ...NOT_OVERDUE }),
      ReferralDeclined: (event, _em, ctx) => update(event, ctx, { status: 'DECLINED', closedOn: event.data.declinedOn, ...NOT_OVERDUE }),
      ReferralRedirected: (event, _em, ctx) =>
        update(event, ctx, {
          status: 'REDIRECTED',
          toAgency: event.data.to.code,
          dueOn: event.data.dueOn,
          ...NOT_OVERDUE,
          ...(event.data.legalBasis === null ? {} : { hasLegalBasis: true }),
          ...(event.data.reasonCode === undefined ? {} : { reasonCode: event.data.reasonCode }),
        }),
      ReferralWithdrawn: (event, _em, ctx) => update(event, ctx, { status: 'WITHDRAWN', closedOn: event.data.withdrawnOn, ...NOT_OVERDUE }),
      ReferralCompleted: (event, _em, ctx) => update(event, ctx, { status: 'COMPLETED', closedOn: event.data.completedOn, ...NOT_OVERDUE }),
      ConsentWithdrawn: (event, _em, ctx) => update(event, ctx, { consentWithdrawn: true }),
      ReferralOverdue: (event, _em, ctx) => update(event, ctx, { overdue: true, overdueMarkedOn: event.data.markedOn }),
    },
  });

// v2: overdue_marked_on (the escalation list). v3: the overdue flag clears on accept, decline,
// withdraw and complete; the receiver's ground as flags (the incoming list's case id). v4:
// reason_code (issue 10 §10), rebuilt from the log (older events carry none: null).
export const referralsProjection = defineReferralsProjection(4);

const NOT_OVERDUE = { overdue: false, overdueMarkedOn: null } as const;

/** The receiver's ground as the events record it (a redirect may add a legal basis later). */
function groundOf(
  d: ReferralProposed['data'] | ReferralSent['data'],
): Pick<ReferralRow, 'sharesTreatmentData' | 'hasLegalBasis' | 'consentCoversService' | 'consentCoversTreatmentData'> {
  const coversService = d.consent !== null && d.consent.given && d.consent.scope.services.includes(d.serviceType);
  return {
    sharesTreatmentData: d.sharesTreatmentData,
    hasLegalBasis: d.legalBasis !== null,
    consentCoversService: coversService,
    consentCoversTreatmentData: coversService && d.consent.scope.treatmentData,
  };
}

function update(event: { streamId: string; revision: bigint }, ctx: ProjectionWrites, values: Partial<ReferralRow>): void {
  const referralId = referralIdOf(event);
  if (referralId === undefined) return;
  ctx.update(ReferralRow, { referralId }, { ...values, version: Number(event.revision) });
}
