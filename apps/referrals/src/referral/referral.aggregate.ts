import { defineAggregate, type AggregateStore } from '@haidang/service-kit';
import {
  domainError,
  REFERRAL_AGGREGATE,
  REFERRAL_EVENT_SCHEMA_VERSIONS,
  referralDecider,
  type ReferralCommand,
  type ReferralEvent,
  type ReferralState,
} from './domain';

/**
 * A referral: streams `Referral-<uuid>`, ids derived from an Idempotency-Key in the namespace
 * `haidang:referrals:referral:v1`. The free-text fields (reason, notes) may hold personal or health
 * data, so they are encrypted with the person's key; `ReferralDeclined.reason` is a code and stays clear.
 */
export const referral = defineAggregate({
  service: 'referrals',
  name: REFERRAL_AGGREGATE,
  decider: referralDecider,
  schemaVersions: REFERRAL_EVENT_SCHEMA_VERSIONS,
  personalFields: {
    ReferralProposed: ['reason'],
    ReferralSent: ['reason'],
    ReferralDeclined: ['note'],
    ReferralRedirected: ['note'],
    ReferralWithdrawn: ['note'],
    ReferralCompleted: ['note'],
  },
  exists: (state) => state.status !== 'NONE',
  personOf: (_id, state) => state.personId,
  alreadyExists: domainError('referral-already-exists'),
});

export const referralStream = (referralId: string): string => referral.streamOf(referralId);

export type ReferralStore = AggregateStore<ReferralCommand, ReferralEvent, ReferralState>;
