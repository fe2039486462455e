import { isErased, type PersonalDataProtector } from '@haidang/pii';
import type { ReferralState } from './domain';

/** The referral's reason in clear (the read side), or null once the person's key was erased. */
export async function revealReason(protector: PersonalDataProtector, state: ReferralState): Promise<string | null> {
  if (state.personId === null || state.reason === null) return null;
  const { reason } = await protector.reveal<{ reason: string }>(state.personId, { reason: state.reason }, ['reason']);
  return isErased(reason) ? null : reason;
}
