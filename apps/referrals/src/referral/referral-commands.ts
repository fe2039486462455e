import { Inject, Injectable } from '@nestjs/common';
import { WrongExpectedVersionError } from '@haidang/event-store';
import type { Principal } from '@haidang/request-context';
import { decide, isDomainError, type ReferralCommand } from './domain';
import { partyOf } from './referral-access';
import { domainErrorToHttp, idempotencyKeyFrom, referralNotFound, staleVersion, versionFromIfMatch } from './referral-http';
import { ReferralRepository } from './referral.repository';

export interface ReferralChange {
  readonly id: string;
  readonly version: number;
}

/**
 * The one path every change to an existing referral takes: If-Match, party (an agency that is no
 * party to the referral gets 404, so its existence is not revealed), decide, append at the
 * expected version. Which party may take which step (sender, current receiver) is the decider's
 * rule, by the agency code of the token (`byAgency`), answered 403 with the rule in plain words.
 *
 * Idempotency: a retry of an accepted request arrives with the old `If-Match`. The command is then
 * decided against the state at that version, so it yields the same events, and the store answers
 * from its record of the key; a different request under the key is refused by the store.
 */
@Injectable()
export class ReferralCommands {
  constructor(@Inject(ReferralRepository) private readonly referrals: ReferralRepository) {}

  async execute(referralId: string, principal: Principal, ifMatch: string | undefined, rawKey: string | undefined, command: ReferralCommand): Promise<ReferralChange> {
    const expected = versionFromIfMatch(ifMatch);
    const idempotencyKey = idempotencyKeyFrom(rawKey);
    const current = await this.referrals.load(referralId);
    if (current.state.status === 'NONE' || partyOf(principal, current.state) === undefined) throw referralNotFound();
    if (expected > current.version || (expected < current.version && idempotencyKey === undefined)) throw staleVersion();
    const personId = current.state.personId;
    if (personId === null) throw referralNotFound();
    const seen = expected === current.version ? current : await this.referrals.load(referralId, expected);
    const events = decide(command, seen.state, new Date());
    if (isDomainError(events)) throw expected === current.version ? domainErrorToHttp(events) : staleVersion();
    try {
      return { id: referralId, version: await this.referrals.append(referralId, personId, events, BigInt(expected), idempotencyKey) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw staleVersion();
      throw error;
    }
  }
}
