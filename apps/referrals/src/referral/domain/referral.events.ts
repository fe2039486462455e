import type { IsoDate } from '@haidang/calendar';
import type { AgencyRef } from './referral-catalogue';
import type { ServiceType, Urgency } from './referral-catalogue.data';
import type { ReasonCode } from './reason-codes.data';

/**
 * Domain events of a referral: plain data, past tense, ids and codes only (no names). Fields marked
 * "free text" (reason, notes) may hold personal or health data: the repository encrypts them with
 * the person's key before appending (libs/pii), as cases does with progress notes, so erasing the
 * person shreds them too. The domain only carries the strings.
 */

export const DECLINE_REASONS = ['CLIENT_REFUSED', 'NOT_ELIGIBLE', 'NO_CAPACITY', 'WRONG_SERVICE', 'OTHER'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export const COMPLETION_OUTCOMES = ['SERVICE_PROVIDED', 'PARTIALLY_PROVIDED', 'CLIENT_DISCONTINUED', 'CLIENT_UNREACHABLE'] as const;
export type CompletionOutcome = (typeof COMPLETION_OUTCOMES)[number];

/** What the person agreed to: the services they may be referred for, and whether treatment data may go. */
export interface ConsentScope {
  readonly services: readonly ServiceType[];
  /** Health data is sensitive (Law 91/2025): it needs its own, explicit consent. */
  readonly treatmentData: boolean;
}

export interface Consent {
  readonly given: boolean;
  /** The day the consent was recorded (signed form), in Vietnam. */
  readonly recordedOn: IsoDate;
  readonly scope: ConsentScope;
}

/** A legal ground for sharing without consent: a decision and the article of law it applies. */
export interface SharingLegalBasis {
  readonly decisionNo: string;
  readonly decisionDate: IsoDate;
  /** e.g. "Law 91/2025/QH15, Art. 19(1)(b)"; legal text, not personal data. */
  readonly lawArticle: string;
}

export type ReferralProposed = {
  readonly type: 'ReferralProposed';
  readonly data: {
    readonly referralId: string;
    readonly personId: string;
    readonly caseId: string | null;
    readonly from: AgencyRef;
    /** null when the proposer does not know the receiver yet; required when the draft is sent. */
    readonly to: AgencyRef | null;
    readonly serviceType: ServiceType;
    /** Free text (encrypted by the repository). */
    readonly reason: string;
    /** The coded reason (REASON_CODES of the service type); absent in events from before issue 10 §10, and when none was given. */
    readonly reasonCode?: ReasonCode;
    readonly urgency: Urgency;
    readonly sharesTreatmentData: boolean;
    readonly consent: Consent | null;
    readonly legalBasis: SharingLegalBasis | null;
    readonly proposedOn: IsoDate;
  };
};

/** Self-contained whether the referral was sent directly or from a draft: projections need no join. */
export type ReferralSent = {
  readonly type: 'ReferralSent';
  readonly data: {
    readonly referralId: string;
    readonly personId: string;
    readonly caseId: string | null;
    readonly from: AgencyRef;
    readonly to: AgencyRef;
    readonly serviceType: ServiceType;
    /** Free text (encrypted by the repository). */
    readonly reason: string;
    /**
     * The coded reason: what a receiver that may not read `reason` sees instead (issue 10 §10). A code
     * and no free text, so it stays clear. Absent in events from before, and when none was given.
     */
    readonly reasonCode?: ReasonCode;
    readonly urgency: Urgency;
    readonly sharesTreatmentData: boolean;
    readonly consent: Consent | null;
    readonly legalBasis: SharingLegalBasis | null;
    readonly sentOn: IsoDate;
    readonly dueOn: IsoDate;
    /** CATALOGUE: working days from the catalogue; SENDER: the sender's own `dueBy`. */
    readonly dueOnSource: 'CATALOGUE' | 'SENDER';
  };
};

export type ReferralAccepted = {
  readonly type: 'ReferralAccepted';
  readonly data: { readonly by: string; readonly acceptedOn: IsoDate };
};

export type ReferralDeclined = {
  readonly type: 'ReferralDeclined';
  readonly data: {
    readonly by: string;
    readonly declinedOn: IsoDate;
    readonly reason: DeclineReason;
    /** Free text (encrypted by the repository); required when the reason is OTHER. */
    readonly note: string | null;
  };
};

export type ReferralRedirected = {
  readonly type: 'ReferralRedirected';
  readonly data: {
    readonly by: string;
    readonly to: AgencyRef;
    readonly redirectedOn: IsoDate;
    /** The due date restarts from the redirect day for the new receiver. */
    readonly dueOn: IsoDate;
    /** Set when the redirect needed (and brought) its own legal basis for a non-state receiver. */
    readonly legalBasis: SharingLegalBasis | null;
    /** Set when the redirect brought the coded reason the new (non-state) receiver needs and the referral had none. */
    readonly reasonCode?: ReasonCode;
    /** Free text (encrypted by the repository). */
    readonly note: string | null;
  };
};

export type ReferralWithdrawn = {
  readonly type: 'ReferralWithdrawn';
  readonly data: { readonly by: string; readonly withdrawnOn: IsoDate; readonly note: string | null };
};

export type ReferralCompleted = {
  readonly type: 'ReferralCompleted';
  readonly data: {
    readonly by: string;
    readonly completedOn: IsoDate;
    readonly outcome: CompletionOutcome;
    /** Free text (encrypted by the repository). */
    readonly note: string | null;
  };
};

/** Visible to the receiver: no further sharing on the strength of that consent. */
export type ConsentWithdrawn = {
  readonly type: 'ConsentWithdrawn';
  readonly data: { readonly recordedBy: string; readonly withdrawnOn: IsoDate };
};

export type ReferralOverdue = {
  readonly type: 'ReferralOverdue';
  readonly data: {
    /** The receiver that let the due date pass. */
    readonly receiver: string;
    readonly dueOn: IsoDate;
    readonly markedOn: IsoDate;
  };
};

export type ReferralEvent =
  | ReferralProposed
  | ReferralSent
  | ReferralAccepted
  | ReferralDeclined
  | ReferralRedirected
  | ReferralWithdrawn
  | ReferralCompleted
  | ConsentWithdrawn
  | ReferralOverdue;

export type ReferralEventType = ReferralEvent['type'];

/**
 * Schema version of each event's `data`, stored with the event type. A `Record` over the union, so
 * a new event without a version does not compile. Bump on a breaking change and add an upcaster.
 * An optional field added (`reasonCode`, issue 10 §10) is not a breaking change: an event without
 * it reads as before.
 */
export const REFERRAL_EVENT_SCHEMA_VERSIONS: Readonly<Record<ReferralEventType, number>> = {
  ReferralProposed: 1,
  ReferralSent: 1,
  ReferralAccepted: 1,
  ReferralDeclined: 1,
  ReferralRedirected: 1,
  ReferralWithdrawn: 1,
  ReferralCompleted: 1,
  ConsentWithdrawn: 1,
  ReferralOverdue: 1,
};

/** The aggregate's name: streams are `Referral-<uuid>` (DESIGN.md public surface). */
export const REFERRAL_AGGREGATE = 'Referral';
