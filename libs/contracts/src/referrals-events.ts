import { rules, validateShape, type Validation } from './validate';

/**
 * Integration events the referrals service publishes for other services (subject
 * `int.referrals.<Event>.v<N>`). Ids, codes and dates only: the reason and notes of a referral stay
 * in the referrals service, encrypted. A new shape is a new type (`….v2`) published beside the old.
 */
export const ReferralsIntegrationEventTypes = {
  ReferralAcceptedV1: 'referrals.ReferralAccepted.v1',
} as const;

/** The service types of the referral catalogue, as other services may rely on them. */
export const CONTRACT_SERVICE_TYPES = [
  'REHAB_ADMISSION',
  'COUNSELLING',
  'JOB_COUNSELLING',
  'VOCATIONAL_TRAINING',
  'JOB_PLACEMENT',
  'HEALTH_HIV_METHADONE',
  'LEGAL_AID',
  'TRAFFICKING_VICTIM_SUPPORT',
  'SHELTER',
] as const;
export type ContractServiceType = (typeof CONTRACT_SERVICE_TYPES)[number];

export interface ReferralAcceptedV1 {
  readonly type: 'referrals.ReferralAccepted.v1';
  readonly version: 1;
  /** The id of the domain event this one was made from: consumers dedupe on it. */
  readonly eventId: string;
  readonly referralId: string;
  readonly personId: string;
  /** The rehab case the referral is about, when there is one. */
  readonly caseId: string | null;
  readonly serviceType: ContractServiceType;
  readonly fromAgency: string;
  /** The agency that accepted: the referral's receiver. */
  readonly toAgency: string;
  readonly acceptedOn: string;
  readonly occurredAt: string;
}

export type ReferralsIntegrationEvent = ReferralAcceptedV1;

export function validateReferralAcceptedV1(value: unknown): Validation<ReferralAcceptedV1> {
  return validateShape(value, {
    type: rules.literal(ReferralsIntegrationEventTypes.ReferralAcceptedV1),
    version: rules.literal(1),
    eventId: rules.uuid,
    referralId: rules.uuid,
    personId: rules.uuid,
    caseId: rules.nullable(rules.uuid),
    serviceType: rules.oneOf(CONTRACT_SERVICE_TYPES),
    fromAgency: rules.agencyCode,
    toAgency: rules.agencyCode,
    acceptedOn: rules.localDate,
    occurredAt: rules.instant,
  });
}
