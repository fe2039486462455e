import type { AgeGroup, IssuingBody, LegalRegimeId, RehabForm } from './legal-regimes';
import type { LocalDate } from './local-date';

/**
 * Domain events of a rehab case: plain data, past tense, no personal data beyond opaque ids.
 * Free text (progress notes) may hold health data; the repository encrypts it with the person's key
 * before appending (libs/pii), so erasing the person shreds it too.
 */

export const REGISTRATION_SOURCES = ['POLICE_DETECTION', 'SELF_DECLARATION', 'FAMILY'] as const;
export type RegistrationSource = (typeof REGISTRATION_SOURCES)[number];

export const ADDICTION_RESULTS = ['ADDICTED', 'ILLEGAL_USE_NOT_ADDICTION'] as const;
export type AddictionResult = (typeof ADDICTION_RESULTS)[number];

export const DISCONTINUATION_REASONS = ['ABSCONDED', 'EXPELLED', 'DECEASED', 'TRANSFERRED'] as const;
export type DiscontinuationReason = (typeof DISCONTINUATION_REASONS)[number];

export interface LegalBasis {
  readonly decisionNo: string;
  readonly decisionDate: LocalDate;
  readonly issuedBy: IssuingBody;
}

/** A facility's written proposal to the court to cut a compulsory term (the court decides). */
export interface TermReductionProposal {
  readonly proposalNo: string;
  readonly proposedOn: LocalDate;
}

export type RehabCaseRegistered = {
  readonly type: 'RehabCaseRegistered';
  readonly data: {
    readonly caseId: string;
    readonly personId: string;
    readonly source: RegistrationSource;
    readonly registeredOn: LocalDate;
    /** Completed or started courses before this one; Law 120/2025 gives later courses a longer term. */
    readonly priorCourses: number;
  };
};

export type AddictionDetermined = {
  readonly type: 'AddictionDetermined';
  readonly data: { readonly determinedOn: LocalDate; readonly facilityId: string; readonly result: AddictionResult };
};

export type RehabFormDecided = {
  readonly type: 'RehabFormDecided';
  readonly data: {
    readonly form: RehabForm;
    readonly legalBasis: LegalBasis;
    /** The regime the decision date selected, recorded so a later change of the table is visible. */
    readonly regime: LegalRegimeId;
    readonly ageGroup: AgeGroup;
    /** null for forms without a fixed term (substitution therapy). */
    readonly termMonths: number | null;
    readonly facilityId: string | null;
  };
};

export type RehabStarted = {
  readonly type: 'RehabStarted';
  readonly data: { readonly startedOn: LocalDate; readonly expectedEndOn: LocalDate | null };
};

export type ProgressNoted = {
  readonly type: 'ProgressNoted';
  readonly data: { readonly notedOn: LocalDate; readonly note: string };
};

export type TermReduced = {
  readonly type: 'TermReduced';
  readonly data: {
    readonly months: number;
    readonly legalBasis: LegalBasis;
    readonly newExpectedEndOn: LocalDate;
    /** Added later, optional so events written before read unchanged: the facility's proposal to the court. */
    readonly proposal?: TermReductionProposal;
  };
};

export type RehabCompleted = {
  readonly type: 'RehabCompleted';
  readonly data: { readonly completedOn: LocalDate };
};

export type RehabDiscontinued = {
  readonly type: 'RehabDiscontinued';
  readonly data: { readonly discontinuedOn: LocalDate; readonly reason: DiscontinuationReason };
};

export type PostRehabManagementStarted = {
  readonly type: 'PostRehabManagementStarted';
  readonly data: {
    readonly legalBasis: LegalBasis;
    readonly regime: LegalRegimeId;
    readonly startedOn: LocalDate;
    readonly termMonths: number;
    readonly endsOn: LocalDate;
  };
};

export type RelapseRecorded = {
  readonly type: 'RelapseRecorded';
  readonly data: {
    readonly detectedOn: LocalDate;
    /** true when the relapse happened during post-rehab management: a ground for compulsory rehab. */
    readonly duringPostRehabManagement: boolean;
    readonly expectedNextForm: RehabForm | null;
  };
};

/** A facility accepted the person for admission on a referral (referrals service). */
export type FacilityAdmissionRecorded = {
  readonly type: 'FacilityAdmissionRecorded';
  readonly data: { readonly referralId: string; readonly facilityAgency: string; readonly acceptedOn: LocalDate };
};

export type RehabCaseClosed = {
  readonly type: 'RehabCaseClosed';
  readonly data: {
    readonly closedOn: LocalDate;
    /** Added later, optional so older events read unchanged: the management that took over a "not addicted" case. */
    readonly drugUserManagementId?: string;
  };
};

export type RehabCaseEvent =
  | RehabCaseRegistered
  | AddictionDetermined
  | RehabFormDecided
  | RehabStarted
  | ProgressNoted
  | TermReduced
  | RehabCompleted
  | RehabDiscontinued
  | PostRehabManagementStarted
  | RelapseRecorded
  | FacilityAdmissionRecorded
  | RehabCaseClosed;

export type RehabCaseEventType = RehabCaseEvent['type'];

/**
 * Schema version of each event's `data`, stored with the event type. A `Record` over the union, so
 * a new event without a version does not compile. Bump on a breaking change and add an upcaster.
 */
export const REHAB_CASE_EVENT_SCHEMA_VERSIONS: Readonly<Record<RehabCaseEventType, number>> = {
  RehabCaseRegistered: 1,
  AddictionDetermined: 1,
  RehabFormDecided: 1,
  RehabStarted: 1,
  ProgressNoted: 1,
  TermReduced: 1,
  RehabCompleted: 1,
  RehabDiscontinued: 1,
  PostRehabManagementStarted: 1,
  RelapseRecorded: 1,
  FacilityAdmissionRecorded: 1,
  RehabCaseClosed: 1,
};

/** The aggregate's name: streams are `RehabCase-<uuid>` (DESIGN.md public surface). */
export const REHAB_CASE_AGGREGATE = 'RehabCase';
