import { randomUUID } from 'node:crypto';
import { vietnamDateOf, type IsoDate } from '@haidang/calendar';
import { IdempotencyKeyReusedError } from '@haidang/event-store';
import { parseAgencyCode, runWithContext, type Principal } from '@haidang/request-context';
import type { CommandPipeline } from '@haidang/service-kit';
import { referral } from '../referral/referral.aggregate';

/** The actor of every ReferralOverdue in event metadata (invariant 7). */
export const OVERDUE_CHECKER_ACTOR = 'system:referrals/overdue-checker';
/**
 * The checker's own idempotency scope. The store's default is the acting agency, here the receiver:
 * a client of that agency could then send a request under the checker's key first and stop the
 * mark for good (the key taken by another request). No client request gets this scope.
 */
export const OVERDUE_CHECKER_IDEMPOTENCY_SCOPE = 'system:referrals/overdue-checker';
/** Candidates taken per round; the rest wait for the next round (oldest due date first). */
export const DEFAULT_OVERDUE_BATCH = 500;

/**
 * The port through which the checker finds candidates: referrals pending past their due date and
 * not yet marked for their receiver, oldest due date first; undefined while the read model is
 * first built. The read side answers it (projections/referrals/overdue-candidates.query.ts).
 */
export type OverdueCandidates = (today: IsoDate, limit: number) => Promise<readonly string[] | undefined>;

export interface OverdueRoundDeps {
  /** The service's command pipeline; the round decides on it at `now`. */
  readonly referrals: CommandPipeline;
  readonly candidates: OverdueCandidates;
  /** Now; the day is taken in Vietnam. */
  readonly now: Date;
  readonly batchSize?: number;
  /** Asked before each append: false stops the round (leadership lost, checker stopping). */
  readonly shouldContinue?: () => boolean;
  /** One per round: every ReferralOverdue of the round carries it. */
  readonly correlationId?: string;
}

export interface OverdueRoundResult {
  /** False while the read model is first being built: nothing was looked at. */
  readonly ran: boolean;
  readonly candidates: number;
  readonly marked: number;
  /** Someone else changed the referral (or marked it) between our read and our append; next round decides again. */
  readonly conflicts: number;
  readonly failed: number;
}

/**
 * The key of a mark: one per (referral, receiver, due date), the same on every instance and every
 * retry, so a crash between the append and anything after it cannot produce a second event.
 */
export function overdueIdempotencyKey(referralId: string, receiver: string, dueOn: IsoDate): string {
  return `referral-overdue:${referralId}:${receiver}:${dueOn}`;
}

/**
 * One round of the deadline checker: for each candidate, MarkOverdue through the pipeline (deciding
 * at `now`), at the version loaded, with the mark's idempotency key. Safe to run on two instances at once (the
 * advisory lock is there to spare the work, not for correctness): the expected version refuses
 * the second append, and a replay of the key appends nothing.
 *
 * Attribution: actor `system:referrals/overdue-checker`, agency = the current receiver, roles none.
 * The event records the receiver's deadline lapsing (its `receiver` field); the sender is who is
 * told, not who acts, and attributing to it would put in its audit trail a step it did not take.
 * The idempotency key lives in a scope of the checker's own (`OVERDUE_CHECKER_IDEMPOTENCY_SCOPE`),
 * not the receiver's, where its clients' keys are.
 */
export async function markOverdueReferrals(deps: OverdueRoundDeps): Promise<OverdueRoundResult> {
  const today = vietnamDateOf(deps.now);
  const correlationId = deps.correlationId ?? randomUUID();
  const shouldContinue = deps.shouldContinue ?? (() => true);
  const ids = await deps.candidates(today, deps.batchSize ?? DEFAULT_OVERDUE_BATCH);
  if (ids === undefined) return { ran: false, candidates: 0, marked: 0, conflicts: 0, failed: 0 };
  const pipeline = deps.referrals;
  let marked = 0;
  let conflicts = 0;
  let failed = 0;
  for (const referralId of ids) {
    if (!shouldContinue()) break;
    try {
      const outcome = await markOne(pipeline, referralId, today, deps.now, correlationId);
      if (outcome === 'marked') marked++;
      else if (outcome === 'conflict') conflicts++;
    } catch {
      // One referral that cannot be marked (database hiccup) must not hold back the others; the
      // next round tries again. The caller counts failures; the error may name a referral, so
      // it is not logged here.
      failed++;
    }
  }
  return { ran: true, candidates: ids.length, marked, conflicts, failed };
}

async function markOne(
  pipeline: CommandPipeline,
  referralId: string,
  today: IsoDate,
  now: Date,
  correlationId: string,
): Promise<'marked' | 'nothing' | 'conflict'> {
  // Who acts (the receiver) and the key (its due date) come from the referral as it stands.
  const { state, version } = await pipeline.storeOf(referral).load(referralId);
  const receiver = state.to === null ? undefined : parseAgencyCode(state.to.code);
  if (state.personId === null || state.dueOn === null || receiver === undefined) return 'nothing';
  const principal: Principal = { sub: OVERDUE_CHECKER_ACTOR, agency: receiver, roles: [], jurisdiction: [] };
  try {
    const result = await runWithContext({ correlationId, commandId: randomUUID(), principal }, () =>
      pipeline.execute(
        referral,
        referralId,
        { type: 'MarkOverdue', data: { today } },
        {
          expected: { version },
          idempotencyKey: overdueIdempotencyKey(referralId, receiver.code, state.dueOn as IsoDate),
          idempotencyScope: OVERDUE_CHECKER_IDEMPOTENCY_SCOPE,
          // Decided at the round's time (the checker's clock), not the request clock.
          now,
          // The mark of this receiver's lapse, whatever day the round runs (the key holds the rest).
          request: { command: 'MarkOverdue', receiver: receiver.code, dueOn: state.dueOn },
        },
      ),
    );
    // MarkOverdue is never an error and yields nothing when there is nothing to mark.
    if (result.ok) return result.events.length > 0 ? 'marked' : 'nothing';
    // Changed under us (accepted, redirected, or marked by another instance): the next round decides again.
    return result.failure.kind === 'version-conflict' ? 'conflict' : 'nothing';
  } catch (error) {
    if (error instanceof IdempotencyKeyReusedError) return 'conflict';
    throw error;
  }
}
