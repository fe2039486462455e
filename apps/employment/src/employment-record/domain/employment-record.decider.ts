import { isIsoDate, vietnamDateOf, type IsoDate } from '@haidang/calendar';
import type { Decider } from '@haidang/decider';
import type {
  AssessNeed,
  CloseEmploymentRecord,
  CompleteTraining,
  EmploymentRecordCommand,
  EnrolInTraining,
  HoldCounsellingSession,
  LeaveJob,
  OpenEmploymentRecord,
  RecordJobFollowUp,
  RecordResidence,
  RecordTrainingDropout,
  StartJob,
} from './employment-record.commands';
import { employmentRecordError as error, type EmploymentRecordError } from './employment-record.errors';
import type { EmploymentRecordEvent, OriginReferral, ReferralOutcome, ReferralOutcomeReported, ScheduledFollowUp } from './employment-record.events';
import {
  CLOSE_OUTCOMES,
  CONTRACT_TYPES,
  COUNSELLING_OUTCOMES,
  DROPOUT_REASONS,
  EMPLOYMENT_REFERRAL_SERVICES,
  FOLLOW_UP_MONTHS,
  FUNDING_SOURCES,
  isOneOf,
  LEAVE_REASONS,
  LOAN_BANDS,
  LOAN_PROGRAMMES,
  NEEDS,
  NEXT_STEPS,
  NOT_NOW_REASONS,
  TRADE_CODES,
  TRAINING_LEVELS,
  WAGE_BANDS,
  type CloseOutcome,
  type Need,
} from './employment.vocabulary';
import { earliestFollowUpOn, followUpsFor } from './follow-up-schedule';

export type EmploymentRecordStatus = 'NONE' | 'OPEN' | 'CLOSED';

export interface EnrolmentState {
  readonly providerId: string;
  readonly providerAgency: string | null;
  readonly startOn: IsoDate;
  readonly status: 'ENROLLED' | 'DROPPED_OUT' | 'COMPLETED';
}

export interface FollowUpState extends ScheduledFollowUp {
  readonly checkedOn: IsoDate | null;
  readonly stillWorking: boolean | null;
}

export interface PlacementState {
  readonly employerId: string;
  readonly startOn: IsoDate;
  readonly status: 'WORKING' | 'LEFT';
  readonly endedOn: IsoDate | null;
  readonly followUps: readonly FollowUpState[];
}

/** What the rules need. Personal fields are not kept: no rule reads them, and the log holds them encrypted. */
export interface EmploymentRecordState {
  readonly status: EmploymentRecordStatus;
  readonly recordId: string | null;
  readonly personId: string | null;
  readonly communeCode: string | null;
  readonly provinceCode: string | null;
  readonly openedOn: IsoDate | null;
  readonly need: Need | null;
  readonly referral: OriginReferral | null;
  readonly referralOutcome: ReferralOutcome | null;
  readonly sessions: readonly string[];
  readonly enrolments: Readonly<Record<string, EnrolmentState>>;
  readonly placements: Readonly<Record<string, PlacementState>>;
  readonly closedOn: IsoDate | null;
  readonly closeOutcome: CloseOutcome | null;
}

export function initialState(): EmploymentRecordState {
  return {
    status: 'NONE',
    recordId: null,
    personId: null,
    communeCode: null,
    provinceCode: null,
    openedOn: null,
    need: null,
    referral: null,
    referralOutcome: null,
    sessions: [],
    enrolments: {},
    placements: {},
    closedOn: null,
    closeOutcome: null,
  };
}

type Decision = readonly EmploymentRecordEvent[] | EmploymentRecordError;

/** `now` is the instant the command is handled; only today's date in Vietnam (UTC+7) is read from it. */
export function decide(command: EmploymentRecordCommand, state: EmploymentRecordState, now: Date): Decision {
  const today = vietnamDateOf(now);
  if (command.type === 'OpenEmploymentRecord') return open(command, state, today);
  if (state.status === 'NONE') return error('record-not-open');
  if (state.status === 'CLOSED') return error('record-closed');
  switch (command.type) {
    case 'RecordResidence':
      return recordResidence(command, state);
    case 'AssessNeed':
      return assessNeed(command, state, today);
    case 'HoldCounsellingSession':
      return holdSession(command, state, today);
    case 'EnrolInTraining':
      return enrol(command, state);
    case 'RecordTrainingDropout':
      return dropOut(command, state, today);
    case 'CompleteTraining':
      return completeTraining(command, state, today);
    case 'StartJob':
      return startJob(command, state, today);
    case 'RecordJobFollowUp':
      return recordFollowUp(command, state, today);
    case 'LeaveJob':
      return leaveJob(command, state, today);
    case 'CloseEmploymentRecord':
      return close(command, state, today);
    default:
      return assertNever(command);
  }
}

function open(command: OpenEmploymentRecord, state: EmploymentRecordState, today: IsoDate): Decision {
  if (state.status !== 'NONE') return error('already-open');
  const d = command.data;
  if (blank(d.recordId) || blank(d.personId) || blank(d.provinceCode)) return error('missing-reference');
  if (d.communeCode !== null && blank(d.communeCode)) return error('missing-reference');
  if (d.referral !== null && (blank(d.referral.referralId) || blank(d.referral.acceptedBy) || !isOneOf(EMPLOYMENT_REFERRAL_SERVICES, d.referral.serviceType)))
    return error('missing-reference');
  const need = checkNeed(d.need, d.notNowReason);
  if (need !== undefined) return need;
  const badDate = checkDay(d.openedOn, today);
  if (badDate !== undefined) return badDate;
  return [{ type: 'EmploymentRecordOpened', data: { ...d } }];
}

function recordResidence(command: RecordResidence, state: EmploymentRecordState): Decision {
  if (state.communeCode !== null) return error('residence-already-known');
  const { communeCode, provinceCode } = command.data;
  if (blank(communeCode)) return error('missing-reference');
  if (provinceCode !== state.provinceCode) return error('residence-in-another-province');
  return [{ type: 'ResidenceRecorded', data: { communeCode } }];
}

function assessNeed(command: AssessNeed, state: EmploymentRecordState, today: IsoDate): Decision {
  const d = command.data;
  const need = checkNeed(d.need, d.notNowReason);
  if (need !== undefined) return need;
  const badDate = checkDay(d.assessedOn, today, state.openedOn);
  if (badDate !== undefined) return badDate;
  return [{ type: 'NeedAssessed', data: { ...d } }];
}

function holdSession(command: HoldCounsellingSession, state: EmploymentRecordState, today: IsoDate): Decision {
  const d = command.data;
  if (blank(d.sessionId)) return error('missing-reference');
  if (isUsed(state, d.sessionId)) return error('duplicate-id');
  if (!isOneOf(COUNSELLING_OUTCOMES, d.outcome) || !isOneOf(NEXT_STEPS, d.nextStep)) return error('unknown-code');
  if (blank(d.counsellor)) return error('empty-text');
  const badDate = checkDay(d.heldOn, today, state.openedOn);
  if (badDate !== undefined) return badDate;
  const held: EmploymentRecordEvent = { type: 'CounsellingSessionHeld', data: { ...d } };
  // Job counselling was given once the person came to a session.
  return withOutcome(state, held, 'JOB_COUNSELLING', d.outcome === 'NO_SHOW' ? null : 'SERVICE_PROVIDED', d.heldOn);
}

function enrol(command: EnrolInTraining, state: EmploymentRecordState): Decision {
  const { provider, ...d } = command.data;
  if (blank(d.enrolmentId) || blank(d.providerId)) return error('missing-reference');
  if (isUsed(state, d.enrolmentId)) return error('duplicate-id');
  if (!isOneOf(TRADE_CODES, d.tradeCode) || !isOneOf(TRAINING_LEVELS, d.level) || !isOneOf(FUNDING_SOURCES, d.funding)) return error('unknown-code');
  if (provider === null) return error('unknown-provider');
  if (provider.closed) return error('provider-closed');
  if (!isIsoDate(d.startOn) || !isIsoDate(d.expectedEndOn)) return error('invalid-date');
  if (state.openedOn !== null && d.startOn < state.openedOn) return error('before-opening');
  // A training may be booked ahead: its start may lie in the future.
  if (d.expectedEndOn <= d.startOn) return error('end-before-start');
  if (Object.values(state.enrolments).some((e) => e.status === 'ENROLLED')) return error('already-in-training');
  return [{ type: 'TrainingEnrolled', data: { ...d, providerAgency: provider.agencyCode } }];
}

function dropOut(command: RecordTrainingDropout, state: EmploymentRecordState, today: IsoDate): Decision {
  const d = command.data;
  const enrolment = state.enrolments[d.enrolmentId];
  if (enrolment === undefined) return error('unknown-enrolment');
  if (enrolment.status !== 'ENROLLED') return error('enrolment-ended');
  if (!isOneOf(DROPOUT_REASONS, d.reason)) return error('unknown-code');
  const badDate = checkDay(d.droppedOn, today, enrolment.startOn, 'before-training-start');
  if (badDate !== undefined) return badDate;
  return withOutcome(state, { type: 'TrainingDroppedOut', data: { ...d } }, 'VOCATIONAL_TRAINING', 'CLIENT_DISCONTINUED', d.droppedOn);
}

function completeTraining(command: CompleteTraining, state: EmploymentRecordState, today: IsoDate): Decision {
  const d = command.data;
  const enrolment = state.enrolments[d.enrolmentId];
  if (enrolment === undefined) return error('unknown-enrolment');
  if (enrolment.status !== 'ENROLLED') return error('enrolment-ended');
  if (blank(d.certificateNumber)) return error('empty-text');
  const badDate = checkDay(d.completedOn, today, enrolment.startOn, 'before-training-start');
  if (badDate !== undefined) return badDate;
  return withOutcome(state, { type: 'TrainingCompleted', data: { ...d } }, 'VOCATIONAL_TRAINING', 'SERVICE_PROVIDED', d.completedOn);
}

function startJob(command: StartJob, state: EmploymentRecordState, today: IsoDate): Decision {
  const { employerKnown, employerClosed, ...d } = command.data;
  if (blank(d.placementId) || blank(d.employerId)) return error('missing-reference');
  if (isUsed(state, d.placementId)) return error('duplicate-id');
  if (!isOneOf(CONTRACT_TYPES, d.contractType) || !isOneOf(WAGE_BANDS, d.wageBand)) return error('unknown-code');
  if (d.loan !== null && (!isOneOf(LOAN_PROGRAMMES, d.loan.programme) || !isOneOf(LOAN_BANDS, d.loan.amountBand))) return error('unknown-code');
  // The self-employed and family businesses have no employer in the register: the register's id stands for the business.
  if (!employerKnown) return error('unknown-employer');
  if (employerClosed) return error('employer-closed');
  if (blank(d.jobTitle)) return error('empty-text');
  const badDate = checkDay(d.startOn, today, state.openedOn);
  if (badDate !== undefined) return badDate;
  if (Object.values(state.placements).some((p) => p.status === 'WORKING')) return error('already-working');
  const started: EmploymentRecordEvent = { type: 'JobStarted', data: { ...d, followUps: followUpsFor(d.startOn) } };
  return withOutcome(state, started, 'JOB_PLACEMENT', 'SERVICE_PROVIDED', d.startOn);
}

function recordFollowUp(command: RecordJobFollowUp, state: EmploymentRecordState, today: IsoDate): Decision {
  const d = command.data;
  const placement = state.placements[d.placementId];
  if (placement === undefined) return error('unknown-placement');
  if (placement.status !== 'WORKING') return error('job-ended');
  if (!(FOLLOW_UP_MONTHS as readonly number[]).includes(d.month)) return error('not-a-follow-up');
  const followUp = placement.followUps.find((f) => f.month === d.month);
  if (followUp === undefined) return error('not-a-follow-up');
  if (followUp.checkedOn !== null) return error('follow-up-recorded');
  if (typeof d.stillWorking !== 'boolean') return error('unknown-code');
  const badDate = checkDay(d.checkedOn, today, placement.startOn, 'before-job-start');
  if (badDate !== undefined) return badDate;
  if (d.checkedOn < earliestFollowUpOn(followUp.dueOn)) return error('follow-up-too-early');
  return [{ type: 'JobFollowUpRecorded', data: { ...d } }];
}

function leaveJob(command: LeaveJob, state: EmploymentRecordState, today: IsoDate): Decision {
  const d = command.data;
  const placement = state.placements[d.placementId];
  if (placement === undefined) return error('unknown-placement');
  if (placement.status !== 'WORKING') return error('job-ended');
  if (!isOneOf(LEAVE_REASONS, d.reason)) return error('unknown-code');
  const badDate = checkDay(d.leftOn, today, placement.startOn, 'before-job-start');
  if (badDate !== undefined) return badDate;
  return [{ type: 'JobLeft', data: { ...d } }];
}

function close(command: CloseEmploymentRecord, state: EmploymentRecordState, today: IsoDate): Decision {
  const { closedOn, outcome } = command.data;
  if (!isOneOf(CLOSE_OUTCOMES, outcome)) return error('unknown-code');
  const badDate = checkDay(closedOn, today, state.openedOn);
  if (badDate !== undefined) return badDate;
  if (Object.values(state.enrolments).some((e) => e.status === 'ENROLLED')) return error('training-in-progress');
  const closed: EmploymentRecordEvent = { type: 'EmploymentRecordClosed', data: { closedOn, outcome } };
  if (state.referral === null || state.referralOutcome !== null) return [closed];
  // Closed before the referred service came about: the referral still gets its outcome, once.
  const somethingDone = state.sessions.length > 0 || Object.keys(state.enrolments).length > 0 || Object.keys(state.placements).length > 0;
  return [reported(state.referral, somethingDone ? 'PARTIALLY_PROVIDED' : 'CLIENT_DISCONTINUED', closedOn), closed];
}

/** The event, and the origin referral's outcome when this is the step its service type waited for (once). */
function withOutcome(
  state: EmploymentRecordState,
  event: EmploymentRecordEvent,
  serviceType: OriginReferral['serviceType'],
  outcome: ReferralOutcome | null,
  on: IsoDate,
): Decision {
  if (outcome === null || state.referral === null || state.referral.serviceType !== serviceType || state.referralOutcome !== null) return [event];
  return [event, reported(state.referral, outcome, on)];
}

const reported = (referral: OriginReferral, outcome: ReferralOutcome, reportedOn: IsoDate): ReferralOutcomeReported => ({
  type: 'ReferralOutcomeReported',
  data: { referralId: referral.referralId, outcome, reportedOn },
});

function checkNeed(need: string, reason: string | null): EmploymentRecordError | undefined {
  if (!isOneOf(NEEDS, need)) return error('unknown-code');
  if (reason !== null && !isOneOf(NOT_NOW_REASONS, reason)) return error('unknown-code');
  if ((need === 'NOT_NOW') !== (reason !== null)) return error('reason-required');
  return undefined;
}

/** A real calendar day, not after today in Vietnam, and not before `notBefore` (when given). */
function checkDay(
  date: string,
  today: IsoDate,
  notBefore?: IsoDate | null,
  beforeCode: 'before-opening' | 'before-training-start' | 'before-job-start' = 'before-opening',
): EmploymentRecordError | undefined {
  if (!isIsoDate(date)) return error('invalid-date');
  if (date > today) return error('date-in-future');
  // ISO dates compare as strings.
  if (notBefore !== undefined && notBefore !== null && date < notBefore) return error(beforeCode);
  return undefined;
}

const blank = (value: string): boolean => typeof value !== 'string' || value.trim() === '';
const isUsed = (state: EmploymentRecordState, id: string): boolean => state.sessions.includes(id) || id in state.enrolments || id in state.placements;

export function evolve(state: EmploymentRecordState, event: EmploymentRecordEvent): EmploymentRecordState {
  switch (event.type) {
    case 'EmploymentRecordOpened': {
      const d = event.data;
      return {
        ...state,
        status: 'OPEN',
        recordId: d.recordId,
        personId: d.personId,
        communeCode: d.communeCode,
        provinceCode: d.provinceCode,
        openedOn: d.openedOn,
        need: d.need,
        referral: d.referral,
      };
    }
    case 'ResidenceRecorded':
      return { ...state, communeCode: event.data.communeCode };
    case 'NeedAssessed':
      return { ...state, need: event.data.need };
    case 'CounsellingSessionHeld':
      return { ...state, sessions: [...state.sessions, event.data.sessionId] };
    case 'TrainingEnrolled': {
      const d = event.data;
      return {
        ...state,
        enrolments: {
          ...state.enrolments,
          [d.enrolmentId]: { providerId: d.providerId, providerAgency: d.providerAgency, startOn: d.startOn, status: 'ENROLLED' },
        },
      };
    }
    case 'TrainingDroppedOut':
      return withEnrolment(state, event.data.enrolmentId, 'DROPPED_OUT');
    case 'TrainingCompleted':
      return withEnrolment(state, event.data.enrolmentId, 'COMPLETED');
    case 'JobStarted': {
      const d = event.data;
      const followUps = d.followUps.map((f) => ({ ...f, checkedOn: null, stillWorking: null }));
      return {
        ...state,
        placements: { ...state.placements, [d.placementId]: { employerId: d.employerId, startOn: d.startOn, status: 'WORKING', endedOn: null, followUps } },
      };
    }
    case 'JobFollowUpRecorded': {
      const d = event.data;
      return withPlacement(state, d.placementId, (p) => ({
        ...p,
        followUps: p.followUps.map((f) => (f.month === d.month ? { ...f, checkedOn: d.checkedOn, stillWorking: d.stillWorking } : f)),
        // Found not working: the job ended at the latest that day; the later checks are not due any more.
        ...(d.stillWorking ? {} : { status: 'LEFT' as const, endedOn: d.checkedOn }),
      }));
    }
    case 'JobLeft':
      return withPlacement(state, event.data.placementId, (p) => ({ ...p, status: 'LEFT', endedOn: event.data.leftOn }));
    case 'ReferralOutcomeReported':
      return { ...state, referralOutcome: event.data.outcome };
    case 'EmploymentRecordClosed':
      return { ...state, status: 'CLOSED', closedOn: event.data.closedOn, closeOutcome: event.data.outcome };
    default:
      return assertNever(event);
  }
}

function withEnrolment(state: EmploymentRecordState, id: string, status: EnrolmentState['status']): EmploymentRecordState {
  const enrolment = state.enrolments[id];
  return enrolment === undefined ? state : { ...state, enrolments: { ...state.enrolments, [id]: { ...enrolment, status } } };
}

function withPlacement(state: EmploymentRecordState, id: string, change: (p: PlacementState) => PlacementState): EmploymentRecordState {
  const placement = state.placements[id];
  return placement === undefined ? state : { ...state, placements: { ...state.placements, [id]: change(placement) } };
}

/** Follow-ups still to be recorded of a placement the person still works in. */
export function pendingFollowUps(placement: PlacementState): readonly FollowUpState[] {
  return placement.status === 'WORKING' ? placement.followUps.filter((f) => f.checkedOn === null) : [];
}

/** The compiler flags a command or event type without a case above. */
function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

export const employmentRecordDecider: Decider<EmploymentRecordCommand, EmploymentRecordEvent, EmploymentRecordState> = { initialState, decide, evolve };
