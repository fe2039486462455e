import type { Principal } from '@haidang/request-context';
import { isStateBody, parseAgencyCode, receiverSeesReasonText, type ReferralState } from './domain';

/** How the caller's agency stands to a referral: what it may see of it follows from this. */
export type ReferralParty = 'sender' | 'receiver' | 'earlier-receiver';

/**
 * The sender, the current receiver and the agencies the referral passed through (redirected on);
 * undefined for anyone else. Judged by agency code from the verified token, never from a body.
 */
export function partyOf(principal: Principal, state: ReferralState): ReferralParty | undefined {
  const code = principal.agency.code;
  if (state.from?.code === code) return 'sender';
  // A draft is in the sender's outbox only: a receiver it names does not see it yet.
  if (state.status === 'DRAFT') return undefined;
  if (state.to?.code === code) return 'receiver';
  if (state.chain.some((agency) => agency.code === code)) return 'earlier-receiver';
  return undefined;
}

/**
 * What a receiver's ground for holding the person's data rests on, as plain flags: the read (from
 * the state) and the lists (from the read model's columns) decide with the same function.
 */
export interface ReceiverGround {
  /** The receiver's agency code (the type is read from it). */
  readonly receiver: string;
  readonly sharesTreatmentData: boolean;
  /** A legal basis is on record (the sender's, or the one a redirect brought). */
  readonly hasLegalBasis: boolean;
  /** Consent given and its scope lists the referral's service. */
  readonly consentCoversService: boolean;
  /** …and its scope covers treatment data too. */
  readonly consentCoversTreatmentData: boolean;
  readonly consentWithdrawn: boolean;
}

/**
 * What a receiver may see (see the service README, "Who sees what"):
 * - `lapsed`: a non-state receiver (SUPPORT_MODEL, NGO) whose only ground was consent, and the person
 *   withdrew it: from then on it sees what an earlier receiver sees (no reason, no consent details,
 *   no case id), plus the fact and day of the withdrawal.
 * - `seesCase`: the case id (it tells that the person has a rehab case, itself treatment data) and the
 *   legal basis's decision number (a decision about the person). A state body always; a non-state
 *   receiver only when the referral shares treatment data and a legal basis, or a consent in force
 *   that covers treatment data, allows it.
 * - `seesReasonText`: the sender's free-text reason, on the same ground less the treatment-data flag
 *   (the domain's `receiverSeesReasonText`, issue 10 §10); without it, the coded reason only.
 */
export function receiverAccess(ground: ReceiverGround): { readonly lapsed: boolean; readonly seesCase: boolean; readonly seesReasonText: boolean } {
  const type = parseAgencyCode(ground.receiver)?.type;
  // An unreadable code (never recorded: the decider parses every receiver) gets the least.
  if (type === undefined) return { lapsed: true, seesCase: false, seesReasonText: false };
  if (isStateBody(type)) return { lapsed: false, seesCase: true, seesReasonText: true };
  const consentInForce = ground.consentCoversService && !ground.consentWithdrawn;
  const lapsed = !ground.hasLegalBasis && !consentInForce;
  const treatmentCovered = ground.hasLegalBasis || (consentInForce && ground.consentCoversTreatmentData);
  return {
    lapsed,
    seesCase: !lapsed && ground.sharesTreatmentData && treatmentCovered,
    seesReasonText: !lapsed && receiverSeesReasonText({ receiverType: type, ...ground }),
  };
}

/** The receiver's ground from the referral's state (current receiver). */
export function receiverGroundOf(state: ReferralState): ReceiverGround {
  const consent = state.consent;
  const coversService = consent !== null && consent.given && state.serviceType !== null && consent.scope.services.includes(state.serviceType);
  return {
    receiver: state.to?.code ?? '',
    sharesTreatmentData: state.sharesTreatmentData,
    hasLegalBasis: state.legalBasis !== null,
    consentCoversService: coversService,
    consentCoversTreatmentData: coversService && consent.scope.treatmentData,
    consentWithdrawn: state.consentWithdrawn,
  };
}
