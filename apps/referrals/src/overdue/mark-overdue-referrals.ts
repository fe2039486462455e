import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { vietnamDateOf, type IsoDate } from '@haidang/calendar';
import { IdempotencyKeyReusedError, WrongExpectedVersionError } from '@haidang/event-store';
import { ProjectionNotActiveError, withReadModel } from '@haidang/projections';
import { parseAgencyCode, runWithContext, type Principal } from '@haidang/request-context';
import { referralsProjection } from '../projections/referrals/referrals.projection';
import { decide, isDomainError, PENDING_STATUSES } from '../referral/domain';
import type { ReferralRepository } from '../referral/referral.repository';

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

export interface OverdueRoundDeps {
  readonly referrals: ReferralRepository;
  readonly readModel: DataSource;
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
 * Candidates from the read model: pending, due before today, not marked for the current receiver (a
 * redirect clears the flag). The read model only narrows the search; the decision is made on the
 * stream, so a lagging projection can cost a wasted load, never a wrong or a second event.
 */
const CANDIDATES_SQL = `SELECT referral_id FROM referral_row
  WHERE status = ANY($1) AND NOT overdue AND due_on IS NOT NULL AND due_on < $2
  ORDER BY due_on, referral_id LIMIT $3`;

/**
 * One round of the deadline checker: for each candidate, load, decide MarkOverdue, append at the
 * version decided on with the mark's idempotency key. Safe to run on two instances at once (the
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
  let ids: string[];
  try {
    const rows = await withReadModel(deps.readModel, referralsProjection.name, (em) => em.query(CANDIDATES_SQL, [PENDING_STATUSES, today, deps.batchSize ?? DEFAULT_OVERDUE_BATCH]) as Promise<{ referral_id: string }[]>);
    ids = rows.map((r) => r.referral_id);
  } catch (error) {
    if (error instanceof ProjectionNotActiveError) return { ran: false, candidates: 0, marked: 0, conflicts: 0, failed: 0 };
    throw error;
  }
  let marked = 0;
  let conflicts = 0;
  let failed = 0;
  for (const referralId of ids) {
    if (!shouldContinue()) break;
    try {
      const outcome = await markOne(deps.referrals, referralId, today, deps.now, correlationId);
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

async function markOne(referrals: ReferralRepository, referralId: string, today: IsoDate, now: Date, correlationId: string): Promise<'marked' | 'nothing' | 'conflict'> {
  const { state, version } = await referrals.load(referralId);
  const events = decide({ type: 'MarkOverdue', data: { today } }, state, now);
  // MarkOverdue is never an error; a guard all the same, so a future rule cannot turn into an append.
  if (isDomainError(events) || events.length === 0) return 'nothing';
  const receiver = state.to === null ? undefined : parseAgencyCode(state.to.code);
  if (state.personId === null || state.dueOn === null || receiver === undefined) return 'nothing';
  const principal: Principal = { sub: OVERDUE_CHECKER_ACTOR, agency: receiver, roles: [], jurisdiction: [] };
  try {
    await runWithContext({ correlationId, commandId: randomUUID(), principal }, () =>
      referrals.append(referralId, state.personId as string, events, BigInt(version), {
        key: overdueIdempotencyKey(referralId, receiver.code, state.dueOn as IsoDate),
        // The mark of this receiver's lapse, whatever day the round runs (the key holds the rest).
        request: { command: 'MarkOverdue', receiver: receiver.code, dueOn: state.dueOn },
        scope: OVERDUE_CHECKER_IDEMPOTENCY_SCOPE,
      }),
    );
    return 'marked';
  } catch (error) {
    // Changed under us (accepted, redirected, or marked by another instance): the next round decides again.
    if (error instanceof WrongExpectedVersionError || error instanceof IdempotencyKeyReusedError) return 'conflict';
    throw error;
  }
}
