import type { IsoDate } from '@haidang/calendar';
import type { ServiceType, Urgency } from './referral-catalogue.data';
import type { CompletionOutcome, Consent, DeclineReason, SharingLegalBasis } from './referral.events';

/**
 * Commands: what a user (or the system) asks for. The decider answers with events or a named
 * domain error. Agencies are agency codes (`22-EMPLOYMENT_CENTRE`); `byAgency` is the agency of the
 * officer acting, taken by the handler from the verified token, never from the request body. The
 * day of every event is today in Vietnam at `now`, except the dates the user states (consent,
 * decisions, `dueBy`, the consent withdrawal) and MarkOverdue's `today`.
 */

interface ReferralDetails {
  readonly referralId: string;
  readonly personId: string;
  readonly caseId?: string | null;
  readonly fromAgency: string;
  readonly serviceType: ServiceType;
  /** Free text, may hold personal data (encrypted by the repository). */
  readonly reason: string;
  /**
   * A code of the service type's list (REASON_CODES). Required to send to a non-state receiver that
   * may not read `reason` (no ground covering treatment data): it sees the code instead. Optional
   * in the type, so that callers that never reach such a receiver need not name one.
   */
  readonly reasonCode?: string | null;
  readonly urgency: Urgency;
  /** Whether treatment data (addiction, HIV, methadone) goes with it; only for health-related services. */
  readonly sharesTreatmentData?: boolean;
  readonly consent?: Consent | null;
  readonly legalBasis?: SharingLegalBasis | null;
}

/** Create and send in one step: consent or legal basis is checked now, the due date starts now. */
export type CreateReferral = {
  readonly type: 'CreateReferral';
  readonly data: ReferralDetails & {
    readonly toAgency: string;
    /** The sender's own due date; not before today. Without it the catalogue decides. */
    readonly dueBy?: IsoDate | null;
  };
};

/**
 * A draft in the sender's outbox, e.g. the job-counselling referral proposed when cases records a
 * completed rehab. No consent check and no due date until it is sent.
 */
export type ProposeReferral = {
  readonly type: 'ProposeReferral';
  readonly data: ReferralDetails & { readonly toAgency?: string | null };
};

/** Sends a draft; anything given here replaces what the draft held. Only the sender may send it. */
export type SendReferral = {
  readonly type: 'SendReferral';
  readonly data: {
    readonly byAgency: string;
    readonly toAgency?: string | null;
    readonly consent?: Consent | null;
    readonly legalBasis?: SharingLegalBasis | null;
    readonly dueBy?: IsoDate | null;
    /** Replaces the draft's coded reason; needed when the receiver may not read the free text and the draft has none. */
    readonly reasonCode?: string | null;
  };
};

export type AcceptReferral = {
  readonly type: 'AcceptReferral';
  readonly data: { readonly byAgency: string };
};

export type DeclineReferral = {
  readonly type: 'DeclineReferral';
  readonly data: {
    readonly byAgency: string;
    readonly reason: DeclineReason;
    /** Free text (encrypted by the repository); required for OTHER. */
    readonly note?: string | null;
  };
};

export type RedirectReferral = {
  readonly type: 'RedirectReferral';
  readonly data: {
    readonly byAgency: string;
    readonly toAgency: string;
    /** Needed to redirect to a non-state receiver when consent does not cover it (or was withdrawn). */
    readonly legalBasis?: SharingLegalBasis | null;
    /** Needed to redirect to a non-state receiver that may not read the free text when the referral has no coded reason yet. */
    readonly reasonCode?: string | null;
    readonly note?: string | null;
  };
};

export type WithdrawReferral = {
  readonly type: 'WithdrawReferral';
  readonly data: { readonly byAgency: string; readonly note?: string | null };
};

export type CompleteReferral = {
  readonly type: 'CompleteReferral';
  readonly data: { readonly byAgency: string; readonly outcome: CompletionOutcome; readonly note?: string | null };
};

/** Sender or current receiver records that the person withdrew consent (on `withdrawnOn`). */
export type WithdrawConsent = {
  readonly type: 'WithdrawConsent';
  readonly data: { readonly byAgency: string; readonly withdrawnOn: IsoDate };
};

/** Sent by the deadline checker, repeatedly: never an error, an event at most once per receiver. */
export type MarkOverdue = {
  readonly type: 'MarkOverdue';
  readonly data: { readonly today: IsoDate };
};

export type ReferralCommand =
  | CreateReferral
  | ProposeReferral
  | SendReferral
  | AcceptReferral
  | DeclineReferral
  | RedirectReferral
  | WithdrawReferral
  | CompleteReferral
  | WithdrawConsent
  | MarkOverdue;
