import type { AgeGroup, RehabForm } from './legal-regimes';
import type { LocalDate } from './local-date';
import type { AddictionResult, DiscontinuationReason, LegalBasis, RegistrationSource, TermReductionProposal } from './rehab-case.events';

/** Commands: what a user asks for. The decider answers with events or a named domain error. */

export type RegisterRehabCase = {
  readonly type: 'RegisterRehabCase';
  readonly data: {
    readonly caseId: string;
    readonly personId: string;
    readonly source: RegistrationSource;
    readonly registeredOn: LocalDate;
    readonly priorCourses: number;
  };
};

export type DetermineAddiction = {
  readonly type: 'DetermineAddiction';
  readonly data: { readonly determinedOn: LocalDate; readonly facilityId: string; readonly result: AddictionResult };
};

export type DecideRehabForm = {
  readonly type: 'DecideRehabForm';
  readonly data: {
    readonly form: RehabForm;
    readonly legalBasis: LegalBasis;
    /**
     * Computed by the handler from the person's date of birth at the decision date, so the decider
     * needs no personal data.
     */
    readonly ageGroup: AgeGroup;
    readonly termMonths: number | null;
    readonly facilityId?: string | null;
    /**
     * Filled by the service for a Cedemex form: the person's residence commune (as it was on the
     * decision date) lies in a pilot locality, or the deciding agency is the pilot facility.
     */
    readonly cedemexPilotSite?: boolean;
  };
};

export type StartRehab = {
  readonly type: 'StartRehab';
  readonly data: { readonly startedOn: LocalDate };
};

export type NoteProgress = {
  readonly type: 'NoteProgress';
  readonly data: { readonly notedOn: LocalDate; readonly note: string };
};

export type ReduceTerm = {
  readonly type: 'ReduceTerm';
  readonly data: {
    readonly months: number;
    readonly legalBasis: LegalBasis;
    /** The facility's proposal a court reduction rests on (compulsory rehab); absent for other forms. */
    readonly proposal?: TermReductionProposal | null;
  };
};

export type CompleteRehab = {
  readonly type: 'CompleteRehab';
  readonly data: { readonly completedOn: LocalDate };
};

export type DiscontinueRehab = {
  readonly type: 'DiscontinueRehab';
  readonly data: { readonly discontinuedOn: LocalDate; readonly reason: DiscontinuationReason };
};

export type StartPostRehabManagement = {
  readonly type: 'StartPostRehabManagement';
  readonly data: { readonly legalBasis: LegalBasis; readonly startedOn: LocalDate; readonly termMonths: number };
};

export type RecordRelapse = {
  readonly type: 'RecordRelapse';
  readonly data: { readonly detectedOn: LocalDate };
};

/**
 * From the referrals service (not from a user): a facility accepted a rehab-admission referral for
 * this case. Recorded once per referral.
 */
export type RecordFacilityAdmission = {
  readonly type: 'RecordFacilityAdmission';
  readonly data: { readonly referralId: string; readonly facilityAgency: string; readonly acceptedOn: LocalDate };
};

export type CloseRehabCase = {
  readonly type: 'CloseRehabCase';
  readonly data: {
    readonly closedOn: LocalDate;
    /**
     * For a case found "not addicted": the management of the illegal drug user the commune chair
     * decided (checked by the service to exist for the same person). Such a case does not just close.
     */
    readonly drugUserManagementId?: string | null;
  };
};

export type RehabCaseCommand =
  | RegisterRehabCase
  | DetermineAddiction
  | DecideRehabForm
  | StartRehab
  | NoteProgress
  | ReduceTerm
  | CompleteRehab
  | DiscontinueRehab
  | StartPostRehabManagement
  | RecordRelapse
  | RecordFacilityAdmission
  | CloseRehabCase;
