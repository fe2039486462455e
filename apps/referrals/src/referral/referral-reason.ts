import { isErased, type PersonalDataProtector } from '@haidang/pii';
import { parseAgencyCode, reasonLabelOf, receiverSeesReasonText, type ReasonCodeLabel, type ReferralState, type ServiceType } from './domain';
import { receiverAccess, receiverGroundOf, type ReferralParty } from './referral-access';

/** The referral's reason in clear (the read side), or null once the person's key was erased. */
export async function revealReason(protector: PersonalDataProtector, state: ReferralState): Promise<string | null> {
  if (state.personId === null || state.reason === null) return null;
  const { reason } = await protector.reveal<{ reason: string }>(state.personId, { reason: state.reason }, ['reason']);
  return isErased(reason) ? null : reason;
}

/**
 * Whether a party may read the reason's free text (issue 10 §10): not a non-state receiver
 * (SUPPORT_MODEL, NGO) without a ground covering treatment data (a legal basis, or a consent in
 * force that covers it), since the sender writes diagnoses there ("Nghiện heroin, HIV dương tính").
 * Such a receiver sees the coded reason instead (`codedReason`), which the decider made the sender give.
 */
export function seesReasonText(party: ReferralParty, state: ReferralState): boolean {
  if (party !== 'receiver') return true;
  return receiverAccess(receiverGroundOf(state)).seesReasonText;
}

/** The coded reason as a read shows it: the code and its label in Vietnamese and English; nulls for a referral without one. */
export function codedReason(code: string | null): { readonly reasonCode: string | null; readonly reasonLabel: ReasonCodeLabel | null } {
  if (code === null) return { reasonCode: null, reasonLabel: null };
  const label = reasonLabelOf(code);
  return { reasonCode: code, reasonLabel: label === null ? null : { vi: label.vi, en: label.en } };
}

/**
 * What the sender is told when it creates a referral (issue 10 §10): whether the receiver reads its
 * free text, or only the coded reason, with the reason why in plain words (codes and labels only).
 */
export function whatTheReceiverSees(
  toAgency: string,
  serviceType: ServiceType,
  consent: { readonly given: boolean; readonly scope: { readonly services: readonly string[]; readonly treatmentData: boolean } } | null,
  hasLegalBasis: boolean,
  reasonCode: string | null,
): { readonly receiverSees: 'reason-text' | 'reason-code-only'; readonly warning?: string } {
  const receiver = parseAgencyCode(toAgency);
  const coversService = consent !== null && consent.given && consent.scope.services.includes(serviceType);
  const seesText =
    receiver !== null &&
    receiverSeesReasonText({
      receiverType: receiver.type,
      hasLegalBasis,
      consentCoversService: coversService,
      consentCoversTreatmentData: coversService && consent.scope.treatmentData,
      consentWithdrawn: false,
    });
  if (seesText) return { receiverSees: 'reason-text' };
  const label = reasonCode === null ? null : reasonLabelOf(reasonCode);
  const coded = label === null ? 'the coded reason' : `the coded reason ${reasonCode} (${label.vi} / ${label.en})`;
  return {
    receiverSees: 'reason-code-only',
    warning: `The receiver ${toAgency} is a non-state agency without the person’s consent to treatment data or a legal basis: it sees only ${coded}, never your free text.`,
  };
}
