import { CONTRACT_SERVICE_TYPES, type ContractServiceType } from './referrals-events';
import { rules, validateShape, type FieldRule, type Validation } from './validate';

/**
 * Integration events the employment service publishes for other services (subject
 * `int.employment.<Event>.v<N>`). Ids, codes and dates only: skills, preferences, notes and
 * certificate numbers stay in the employment service, encrypted with the person's key. `type` names
 * the version; `version` repeats it. A new shape is a new type (`….v2`), published beside the old.
 */
export const EmploymentIntegrationEventTypes = {
  TrainingCompletedV1: 'employment.TrainingCompleted.v1',
  JobStartedV1: 'employment.JobStarted.v1',
  JobFollowUpRecordedV1: 'employment.JobFollowUpRecorded.v1',
  RecordClosedV1: 'employment.RecordClosed.v1',
  ReferralOutcomeReportedV1: 'employment.ReferralOutcomeReported.v1',
} as const;

export const CONTRACT_TRAINING_LEVELS = ['ELEMENTARY', 'UNDER_3_MONTHS', 'INTERMEDIATE'] as const;
export const CONTRACT_FUNDING_SOURCES = ['STATE_SUPPORT_AFTER_REHAB', 'LOAN', 'SELF_PAID'] as const;
export const CONTRACT_CONTRACT_TYPES = ['INDEFINITE', 'FIXED_TERM', 'SEASONAL', 'SELF_EMPLOYED', 'FAMILY_BUSINESS'] as const;
export const CONTRACT_WAGE_BANDS = ['UNDER_4M', '4M_TO_6M', '6M_TO_8M', '8M_TO_10M', 'OVER_10M', 'UNKNOWN'] as const;
export const CONTRACT_RECORD_OUTCOMES = ['EMPLOYED', 'SELF_EMPLOYED', 'NOT_EMPLOYED', 'DECLINED_SERVICES', 'MOVED_AWAY', 'DECEASED'] as const;
/** A subset of the referrals service's completion outcomes: what the employment service reports. */
export const CONTRACT_REFERRAL_OUTCOMES = ['SERVICE_PROVIDED', 'PARTIALLY_PROVIDED', 'CLIENT_DISCONTINUED'] as const;

interface RecordEventBaseV1 {
  /** The id of the domain event this one was made from: consumers dedupe on it. */
  readonly eventId: string;
  readonly recordId: string;
  readonly personId: string;
  /** The commune of residence; null while a record opened from a referral does not know it yet. */
  readonly communeCode: string | null;
  readonly provinceCode: string;
  /** When the service recorded it (ISO-8601); the dates below are the real ones. */
  readonly occurredAt: string;
}

export interface TrainingCompletedV1 extends RecordEventBaseV1 {
  readonly type: 'employment.TrainingCompleted.v1';
  readonly version: 1;
  readonly enrolmentId: string;
  readonly providerId: string;
  /** A code of the employment service's occupation list (e.g. WELDING). */
  readonly tradeCode: string;
  readonly level: (typeof CONTRACT_TRAINING_LEVELS)[number];
  readonly funding: (typeof CONTRACT_FUNDING_SOURCES)[number];
  readonly startOn: string;
  readonly completedOn: string;
}

export interface JobStartedV1 extends RecordEventBaseV1 {
  readonly type: 'employment.JobStarted.v1';
  readonly version: 1;
  readonly placementId: string;
  readonly employerId: string;
  readonly contractType: (typeof CONTRACT_CONTRACT_TYPES)[number];
  readonly wageBand: (typeof CONTRACT_WAGE_BANDS)[number];
  /** True when the person got a preferential loan of the Social Policy Bank for it. */
  readonly withPreferentialLoan: boolean;
  readonly startOn: string;
}

export interface JobFollowUpRecordedV1 extends RecordEventBaseV1 {
  readonly type: 'employment.JobFollowUpRecorded.v1';
  readonly version: 1;
  readonly placementId: string;
  /** 3, 6 or 12 months after the start. */
  readonly month: 3 | 6 | 12;
  readonly checkedOn: string;
  readonly stillWorking: boolean;
}

export interface RecordClosedV1 extends RecordEventBaseV1 {
  readonly type: 'employment.RecordClosed.v1';
  readonly version: 1;
  readonly outcome: (typeof CONTRACT_RECORD_OUTCOMES)[number];
  readonly closedOn: string;
}

/**
 * The outcome of the referral that opened a record, reported once: the referrals service completes
 * the referral on it (as `reportedBy`, the agency that accepted it).
 */
export interface ReferralOutcomeReportedV1 extends RecordEventBaseV1 {
  readonly type: 'employment.ReferralOutcomeReported.v1';
  readonly version: 1;
  readonly referralId: string;
  readonly serviceType: ContractServiceType;
  readonly outcome: (typeof CONTRACT_REFERRAL_OUTCOMES)[number];
  readonly reportedBy: string;
  readonly reportedOn: string;
}

export type EmploymentIntegrationEvent = TrainingCompletedV1 | JobStartedV1 | JobFollowUpRecordedV1 | RecordClosedV1 | ReferralOutcomeReportedV1;

const base = {
  eventId: rules.uuid,
  recordId: rules.uuid,
  personId: rules.uuid,
  communeCode: rules.nullable(rules.digits(5)),
  provinceCode: rules.digits(2),
  occurredAt: rules.instant,
};

const month = ((v: unknown) => (v === 3 || v === 6 || v === 12 ? undefined : 'must be 3, 6 or 12')) as FieldRule;

export function validateTrainingCompletedV1(value: unknown): Validation<TrainingCompletedV1> {
  return validateShape(value, {
    type: rules.literal(EmploymentIntegrationEventTypes.TrainingCompletedV1),
    version: rules.literal(1),
    ...base,
    enrolmentId: rules.uuid,
    providerId: rules.uuid,
    tradeCode: ((v: unknown) => (typeof v === 'string' && /^[A-Z][A-Z0-9_]{0,49}$/.test(v) ? undefined : 'must be a trade code')) as FieldRule,
    level: rules.oneOf(CONTRACT_TRAINING_LEVELS),
    funding: rules.oneOf(CONTRACT_FUNDING_SOURCES),
    startOn: rules.localDate,
    completedOn: rules.localDate,
  });
}

export function validateJobStartedV1(value: unknown): Validation<JobStartedV1> {
  return validateShape(value, {
    type: rules.literal(EmploymentIntegrationEventTypes.JobStartedV1),
    version: rules.literal(1),
    ...base,
    placementId: rules.uuid,
    employerId: rules.uuid,
    contractType: rules.oneOf(CONTRACT_CONTRACT_TYPES),
    wageBand: rules.oneOf(CONTRACT_WAGE_BANDS),
    withPreferentialLoan: rules.boolean,
    startOn: rules.localDate,
  });
}

export function validateJobFollowUpRecordedV1(value: unknown): Validation<JobFollowUpRecordedV1> {
  return validateShape(value, {
    type: rules.literal(EmploymentIntegrationEventTypes.JobFollowUpRecordedV1),
    version: rules.literal(1),
    ...base,
    placementId: rules.uuid,
    month,
    checkedOn: rules.localDate,
    stillWorking: rules.boolean,
  });
}

export function validateRecordClosedV1(value: unknown): Validation<RecordClosedV1> {
  return validateShape(value, {
    type: rules.literal(EmploymentIntegrationEventTypes.RecordClosedV1),
    version: rules.literal(1),
    ...base,
    outcome: rules.oneOf(CONTRACT_RECORD_OUTCOMES),
    closedOn: rules.localDate,
  });
}

export function validateReferralOutcomeReportedV1(value: unknown): Validation<ReferralOutcomeReportedV1> {
  return validateShape(value, {
    type: rules.literal(EmploymentIntegrationEventTypes.ReferralOutcomeReportedV1),
    version: rules.literal(1),
    ...base,
    referralId: rules.uuid,
    serviceType: rules.oneOf(CONTRACT_SERVICE_TYPES),
    outcome: rules.oneOf(CONTRACT_REFERRAL_OUTCOMES),
    reportedBy: rules.agencyCode,
    reportedOn: rules.localDate,
  });
}
