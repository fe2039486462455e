import type { IsoDate } from '@haidang/calendar';
import type {
  CloseOutcome,
  ContractType,
  CounsellingOutcome,
  DropoutReason,
  EmploymentReferralService,
  FollowUpMonth,
  FundingSource,
  LeaveReason,
  LoanBand,
  LoanProgramme,
  Need,
  NextStep,
  NotNowReason,
  TradeCode,
  TrainingLevel,
  WageBand,
} from './employment.vocabulary';

/**
 * Domain events of an employment record: plain data, past tense, each type stored with its schema
 * version (EMPLOYMENT_RECORD_EVENT_SCHEMA_VERSIONS; a changed shape is a new version with an
 * upcaster). Fields marked "personal" are free text about the person: the aggregate lists them in
 * `personalFields`, so they are encrypted with the person's key before they reach the log, and
 * erasing the person shreds them.
 */

/** The accepted referral a record was opened from, when it was. */
export interface OriginReferral {
  readonly referralId: string;
  readonly serviceType: EmploymentReferralService;
  /** The agency that accepted it: the one that reports its outcome. */
  readonly acceptedBy: string;
}

export type EmploymentRecordOpened = {
  readonly type: 'EmploymentRecordOpened';
  readonly data: {
    readonly recordId: string;
    /** The person in the cases service: whose key encrypts the personal fields. */
    readonly personId: string;
    /** The commune of residence (scope); null until known for a record opened from a referral. */
    readonly communeCode: string | null;
    readonly provinceCode: string;
    readonly openedOn: IsoDate;
    readonly need: Need;
    readonly notNowReason: NotNowReason | null;
    /** Personal. */
    readonly skills: string;
    /** Personal. */
    readonly preferences: string;
    readonly referral: OriginReferral | null;
  };
};

export type ResidenceRecorded = { readonly type: 'ResidenceRecorded'; readonly data: { readonly communeCode: string } };

export type NeedAssessed = {
  readonly type: 'NeedAssessed';
  readonly data: {
    readonly assessedOn: IsoDate;
    readonly need: Need;
    readonly notNowReason: NotNowReason | null;
    /** Personal. */
    readonly skills: string;
    /** Personal. */
    readonly preferences: string;
  };
};

export type CounsellingSessionHeld = {
  readonly type: 'CounsellingSessionHeld';
  readonly data: {
    readonly sessionId: string;
    readonly heldOn: IsoDate;
    /** The officer who counselled (a staff name or code, not the person's). */
    readonly counsellor: string;
    readonly outcome: CounsellingOutcome;
    readonly nextStep: NextStep;
    /** Personal. */
    readonly note: string | null;
  };
};

export type TrainingEnrolled = {
  readonly type: 'TrainingEnrolled';
  readonly data: {
    readonly enrolmentId: string;
    readonly tradeCode: TradeCode;
    readonly providerId: string;
    /** The provider's own agency code, when it has one: the only outside agency that sees the enrolment. */
    readonly providerAgency: string | null;
    readonly level: TrainingLevel;
    readonly startOn: IsoDate;
    readonly expectedEndOn: IsoDate;
    readonly funding: FundingSource;
  };
};

export type TrainingDroppedOut = {
  readonly type: 'TrainingDroppedOut';
  readonly data: {
    readonly enrolmentId: string;
    readonly droppedOn: IsoDate;
    readonly reason: DropoutReason;
    /** Personal. */
    readonly note: string | null;
  };
};

export type TrainingCompleted = {
  readonly type: 'TrainingCompleted';
  /** `certificateNumber` identifies the person: personal. */
  readonly data: { readonly enrolmentId: string; readonly completedOn: IsoDate; readonly certificateNumber: string };
};

export interface ScheduledFollowUp {
  readonly month: FollowUpMonth;
  /** A working day: the first on or after the start date plus `month` months. */
  readonly dueOn: IsoDate;
}

export type JobStarted = {
  readonly type: 'JobStarted';
  readonly data: {
    readonly placementId: string;
    readonly employerId: string;
    readonly jobTitle: string;
    readonly contractType: ContractType;
    readonly startOn: IsoDate;
    readonly wageBand: WageBand;
    /** A preferential loan of the Social Policy Bank, when the person got one. */
    readonly loan: { readonly programme: LoanProgramme; readonly amountBand: LoanBand } | null;
    /** Fixed when the job starts: a later change of the holiday calendar does not move them. */
    readonly followUps: readonly ScheduledFollowUp[];
  };
};

export type JobFollowUpRecorded = {
  readonly type: 'JobFollowUpRecorded';
  readonly data: { readonly placementId: string; readonly month: FollowUpMonth; readonly checkedOn: IsoDate; readonly stillWorking: boolean };
};

export type JobLeft = {
  readonly type: 'JobLeft';
  readonly data: { readonly placementId: string; readonly leftOn: IsoDate; readonly reason: LeaveReason };
};

export const REFERRAL_OUTCOMES = ['SERVICE_PROVIDED', 'PARTIALLY_PROVIDED', 'CLIENT_DISCONTINUED'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

/** The outcome of the referral that opened the record, decided once (the referrals service completes it). */
export type ReferralOutcomeReported = {
  readonly type: 'ReferralOutcomeReported';
  readonly data: { readonly referralId: string; readonly outcome: ReferralOutcome; readonly reportedOn: IsoDate };
};

export type EmploymentRecordClosed = {
  readonly type: 'EmploymentRecordClosed';
  readonly data: { readonly closedOn: IsoDate; readonly outcome: CloseOutcome };
};

export type EmploymentRecordEvent =
  | EmploymentRecordOpened
  | ResidenceRecorded
  | NeedAssessed
  | CounsellingSessionHeld
  | TrainingEnrolled
  | TrainingDroppedOut
  | TrainingCompleted
  | JobStarted
  | JobFollowUpRecorded
  | JobLeft
  | ReferralOutcomeReported
  | EmploymentRecordClosed;
export type EmploymentRecordEventType = EmploymentRecordEvent['type'];

export const EMPLOYMENT_RECORD_EVENT_SCHEMA_VERSIONS: Readonly<Record<EmploymentRecordEventType, number>> = {
  EmploymentRecordOpened: 1,
  ResidenceRecorded: 1,
  NeedAssessed: 1,
  CounsellingSessionHeld: 1,
  TrainingEnrolled: 1,
  TrainingDroppedOut: 1,
  TrainingCompleted: 1,
  JobStarted: 1,
  JobFollowUpRecorded: 1,
  JobLeft: 1,
  ReferralOutcomeReported: 1,
  EmploymentRecordClosed: 1,
};

/** Per event type, the fields encrypted with the person's key. */
export const EMPLOYMENT_RECORD_PERSONAL_FIELDS = {
  EmploymentRecordOpened: ['skills', 'preferences'],
  NeedAssessed: ['skills', 'preferences'],
  CounsellingSessionHeld: ['note'],
  TrainingDroppedOut: ['note'],
  TrainingCompleted: ['certificateNumber'],
} as const satisfies Partial<Record<EmploymentRecordEventType, readonly string[]>>;

/** The aggregate's name: streams are `EmploymentRecord-<uuid>`, NATS subjects `evt.employment.EmploymentRecord.<EventType>`. */
export const EMPLOYMENT_RECORD_AGGREGATE = 'EmploymentRecord';
