import { isErased, type PersonalDataProtector } from '@haidang/pii';
import { isStateBody, type ReferralState } from './domain';
import type { ReferralParty } from './referral-access';

/** The referral's reason in clear (the read side), or null once the person's key was erased. */
export async function revealReason(protector: PersonalDataProtector, state: ReferralState): Promise<string | null> {
  if (state.personId === null || state.reason === null) return null;
  const { reason } = await protector.reveal<{ reason: string }>(state.personId, { reason: state.reason }, ['reason']);
  return isErased(reason) ? null : reason;
}

/**
 * Whether a party may read the reason's free text (issue 10 §10): not a non-state receiver
 * (SUPPORT_MODEL, NGO) without consent to treatment data, since the sender writes diagnoses there
 * ("Nghiện heroin, HIV dương tính"). Such a receiver gets no reason text at all. Limit: the coded
 * reason (a code list per service type) it should see instead is not built yet.
 */
export function seesReasonText(party: ReferralParty, state: ReferralState): boolean {
  if (party !== 'receiver') return true;
  if (state.to === null || isStateBody(state.to.type)) return true;
  return state.consent?.scope.treatmentData === true;
}
