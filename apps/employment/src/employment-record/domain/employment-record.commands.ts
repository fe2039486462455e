import type { IsoDate } from '@haidang/calendar';
import type {
  EmploymentRecordClosed,
  EmploymentRecordOpened,
  JobFollowUpRecorded,
  JobLeft,
  JobStarted,
  NeedAssessed,
  TrainingDroppedOut,
  TrainingEnrolled,
} from './employment-record.events';
import type { CounsellingOutcome, NextStep } from './employment.vocabulary';

/**
 * Commands: what a user (or a process manager) asks for. Code fields are typed here but checked
 * again by the decider (a command may come from anywhere); the decider answers with events or a
 * named domain error.
 */
export type OpenEmploymentRecord = { readonly type: 'OpenEmploymentRecord'; readonly data: EmploymentRecordOpened['data'] };
export type RecordResidence = { readonly type: 'RecordResidence'; readonly data: { readonly communeCode: string; readonly provinceCode: string } };
export type AssessNeed = { readonly type: 'AssessNeed'; readonly data: NeedAssessed['data'] };
export type HoldCounsellingSession = {
  readonly type: 'HoldCounsellingSession';
  readonly data: {
    readonly sessionId: string;
    readonly heldOn: IsoDate;
    readonly counsellor: string;
    readonly outcome: CounsellingOutcome;
    readonly nextStep: NextStep;
    readonly note: string | null;
  };
};
/** `provider` is filled in by the service from the provider register (null: no such provider). */
export type EnrolInTraining = {
  readonly type: 'EnrolInTraining';
  readonly data: Omit<TrainingEnrolled['data'], 'providerAgency'> & {
    readonly provider: { readonly agencyCode: string | null; readonly provinceCode: string; readonly closed: boolean } | null;
  };
};
export type RecordTrainingDropout = { readonly type: 'RecordTrainingDropout'; readonly data: TrainingDroppedOut['data'] };
export type CompleteTraining = {
  readonly type: 'CompleteTraining';
  readonly data: { readonly enrolmentId: string; readonly completedOn: IsoDate; readonly certificateNumber: string };
};
/** `employerKnown` and `employerClosed` are filled in by the service from the employer register. */
export type StartJob = {
  readonly type: 'StartJob';
  readonly data: Omit<JobStarted['data'], 'followUps'> & { readonly employerKnown: boolean; readonly employerClosed: boolean };
};
export type RecordJobFollowUp = { readonly type: 'RecordJobFollowUp'; readonly data: JobFollowUpRecorded['data'] };
export type LeaveJob = { readonly type: 'LeaveJob'; readonly data: JobLeft['data'] };
export type CloseEmploymentRecord = { readonly type: 'CloseEmploymentRecord'; readonly data: EmploymentRecordClosed['data'] };

export type EmploymentRecordCommand =
  | OpenEmploymentRecord
  | RecordResidence
  | AssessNeed
  | HoldCounsellingSession
  | EnrolInTraining
  | RecordTrainingDropout
  | CompleteTraining
  | StartJob
  | RecordJobFollowUp
  | LeaveJob
  | CloseEmploymentRecord;
