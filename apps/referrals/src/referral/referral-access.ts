import type { Principal } from '@haidang/request-context';
import type { ReferralState } from './domain';

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
