import { CONTRACT_REHAB_FORMS, type ContractRehabForm } from './cases-vocabulary';
import { rules, validateShape, type Validation } from './validate';

/**
 * Integration events the cases service publishes for other services. They are not its domain
 * events: they carry ids, dates, the form and the commune, and no personal field, so any
 * subscriber may store them. `type` names the version; `version` repeats it for readers that
 * switch on a number. A new shape is a new type (`….v2`), published next to the old one.
 */
export const CasesIntegrationEventTypes = {
  RehabStartedV1: 'cases.RehabStarted.v1',
  RehabCompletedV1: 'cases.RehabCompleted.v1',
  PersonErasedV1: 'cases.PersonErased.v1',
  PostRehabManagementStartedV1: 'cases.PostRehabManagementStarted.v1',
} as const;

/**
 * A person's data was erased in cases (their key shredded). Every service that keeps personal data
 * of its own about the person (e.g. the free text of a referral, encrypted with a key of its own)
 * shreds it on this event, so that erasure reaches everywhere (DESIGN invariant 6).
 */
export interface PersonErasedV1 {
  readonly type: 'cases.PersonErased.v1';
  readonly version: 1;
  readonly eventId: string;
  readonly personId: string;
  readonly occurredAt: string;
}

export function validatePersonErasedV1(value: unknown): Validation<PersonErasedV1> {
  return validateShape(value, {
    type: rules.literal('cases.PersonErased.v1'),
    version: rules.literal(1),
    eventId: rules.uuid,
    personId: rules.uuid,
    occurredAt: rules.instant,
  });
}

interface CaseEventBaseV1 {
  /** The id of the domain event this one was made from: consumers dedupe on it. */
  readonly eventId: string;
  readonly caseId: string;
  readonly personId: string;
  readonly form: ContractRehabForm;
  readonly communeCode: string;
  /** The agency that recorded the step (e.g. the facility, for a facility stay): who may follow it up. */
  readonly recordedByAgency: string;
  /** When the service recorded it (ISO-8601); the dates below are the legal ones. */
  readonly occurredAt: string;
}

export interface RehabStartedV1 extends CaseEventBaseV1 {
  readonly type: 'cases.RehabStarted.v1';
  readonly version: 1;
  readonly startedOn: string;
  /** Null when the form has no fixed term. */
  readonly expectedEndOn: string | null;
}

export interface RehabCompletedV1 extends CaseEventBaseV1 {
  readonly type: 'cases.RehabCompleted.v1';
  readonly version: 1;
  readonly completedOn: string;
}

/** Post-rehab management began at the place of residence (for "under post-rehab management"). */
export interface PostRehabManagementStartedV1 extends CaseEventBaseV1 {
  readonly type: 'cases.PostRehabManagementStarted.v1';
  readonly version: 1;
  readonly startedOn: string;
  readonly endsOn: string;
}

export type CasesIntegrationEvent = RehabStartedV1 | RehabCompletedV1 | PersonErasedV1 | PostRehabManagementStartedV1;

const base = {
  eventId: rules.uuid,
  caseId: rules.uuid,
  personId: rules.uuid,
  form: rules.oneOf(CONTRACT_REHAB_FORMS),
  communeCode: rules.digits(5),
  recordedByAgency: rules.agencyCode,
  occurredAt: rules.instant,
};

export function validateRehabStartedV1(value: unknown): Validation<RehabStartedV1> {
  return validateShape(value, {
    type: rules.literal(CasesIntegrationEventTypes.RehabStartedV1),
    version: rules.literal(1),
    ...base,
    startedOn: rules.localDate,
    expectedEndOn: rules.nullable(rules.localDate),
  });
}

export function validateRehabCompletedV1(value: unknown): Validation<RehabCompletedV1> {
  return validateShape(value, {
    type: rules.literal(CasesIntegrationEventTypes.RehabCompletedV1),
    version: rules.literal(1),
    ...base,
    completedOn: rules.localDate,
  });
}

export function validatePostRehabManagementStartedV1(value: unknown): Validation<PostRehabManagementStartedV1> {
  return validateShape(value, {
    type: rules.literal(CasesIntegrationEventTypes.PostRehabManagementStartedV1),
    version: rules.literal(1),
    ...base,
    startedOn: rules.localDate,
    endsOn: rules.localDate,
  });
}

/** Any cases integration event, chosen by its `type`. */
export function validateCasesIntegrationEvent(value: unknown): Validation<CasesIntegrationEvent> {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (type === CasesIntegrationEventTypes.RehabStartedV1) return validateRehabStartedV1(value);
  if (type === CasesIntegrationEventTypes.RehabCompletedV1) return validateRehabCompletedV1(value);
  if (type === CasesIntegrationEventTypes.PersonErasedV1) return validatePersonErasedV1(value);
  if (type === CasesIntegrationEventTypes.PostRehabManagementStartedV1) return validatePostRehabManagementStartedV1(value);
  return { ok: false, errors: ['type: is not a known cases integration event'] };
}
