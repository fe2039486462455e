import { Inject, Injectable } from '@nestjs/common';
import { WrongExpectedVersionError } from '@haidang/event-store';
import type { Principal } from '@haidang/request-context';
import { CLOCK } from '../tokens';
import { decide, isDomainError, type ReferralCommand, type ReferralState } from './domain';
import { partyOf } from './referral-access';
import { domainErrorToHttp, idempotencyKeyFrom, referralNotFound, staleVersion, versionFromIfMatch } from './referral-http';
import { ReferralRepository } from './referral.repository';

export interface ReferralChange {
  readonly id: string;
  readonly version: number;
}

/** A check made before deciding a change that is not a replay (e.g. asking cases about the person). */
export type ReferralPrecheck = (state: ReferralState) => Promise<void>;

/**
 * The one path every change to an existing referral takes: If-Match, party (an agency that is no
 * party to the referral gets 404, so its existence is not revealed), decide, append at the
 * expected version. Which party may take which step (sender, current receiver) is the decider's
 * rule, by the agency code of the token (`byAgency`), answered 403 with the rule in plain words.
 *
 * Idempotency: a retry of an accepted request arrives with the old `If-Match`. The store recognises
 * it by the fingerprint of the request (command type and data as sent, referral, If-Match), not of
 * the events, which carry the day they were decided on: a retry the next day still gets the first
 * result. Such a retry is decided against the state at that version (and, should a rule of dates
 * refuse it today, e.g. a due date now past, at the time the next event was recorded); a different
 * request under the key is refused by the store, one with a new key is 409.
 */
@Injectable()
export class ReferralCommands {
  constructor(
    @Inject(ReferralRepository) private readonly referrals: ReferralRepository,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  async execute(referralId: string, principal: Principal, ifMatch: string | undefined, rawKey: string | undefined, command: ReferralCommand, precheck?: ReferralPrecheck): Promise<ReferralChange> {
    const expected = versionFromIfMatch(ifMatch);
    const idempotencyKey = idempotencyKeyFrom(rawKey);
    const current = await this.referrals.load(referralId);
    if (current.state.status === 'NONE' || partyOf(principal, current.state) === undefined) throw referralNotFound();
    if (expected > current.version || (expected < current.version && idempotencyKey === undefined)) throw staleVersion();
    const personId = current.state.personId;
    if (personId === null) throw referralNotFound();
    const replay = expected < current.version;
    // A replay asks nobody: its answer is the first one, or 409.
    if (!replay && precheck !== undefined) await precheck(current.state);
    const seen = replay ? await this.referrals.load(referralId, expected) : current;
    let events = decide(command, seen.state, this.clock());
    if (isDomainError(events) && replay) {
      // A rule of dates may refuse today what it allowed then (a due date now past): decide it as it was.
      const then = await this.referrals.recordedAt(referralId, expected + 1);
      if (then !== undefined) events = decide(command, seen.state, then);
    }
    if (isDomainError(events)) throw replay ? staleVersion() : domainErrorToHttp(events);
    const idempotency = idempotencyKey === undefined ? undefined : { key: idempotencyKey, request: { command: command.type, data: command.data } };
    try {
      return { id: referralId, version: await this.referrals.append(referralId, personId, events, BigInt(expected), idempotency) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw staleVersion();
      throw error;
    }
  }
}
