import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { Counter, Gauge, Registry } from 'prom-client';
import { AdvisoryLockSession, consoleLogger, LeaderLoop, type Leadership, type MessagingLogger } from '@haidang/messaging';
import type { CommandPipeline } from '@haidang/service-kit';
import { markOverdueReferrals, type OverdueCandidates, type OverdueRoundResult } from './mark-overdue-referrals';
import { OverdueLockConnection } from './overdue-lock';

export const DEFAULT_OVERDUE_CHECK_INTERVAL_MS = 60_000;
export const DEFAULT_OVERDUE_LOCK_RETRY_MS = 5_000;

export interface OverdueCheckerOptions {
  /** The service's command pipeline: each mark goes through it, decided at the checker's clock. */
  readonly referrals: CommandPipeline;
  /** Where candidates come from (the read model, through its query). */
  readonly candidates: OverdueCandidates;
  /** The service's pool: its connection settings are used for the lock session. */
  readonly pool: Pool;
  /** Between rounds of the leader (default 60 s); the first round runs as soon as the lock is taken. */
  readonly intervalMs?: number;
  /** How often a standby tries the lock (default 5 s, at most the interval). */
  readonly lockRetryMs?: number;
  /** The time the checker believes it is: the service's clock (tests move their own). */
  readonly clock: () => Date;
  readonly batchSize?: number;
  readonly registry?: Registry;
  /** Counts and error messages only: no referral, person or agency is named. */
  readonly logger?: MessagingLogger;
}

export type OverdueCheckerStatus = 'stopped' | 'standby' | 'leader';

interface OverdueMetrics {
  readonly checks: Counter;
  readonly marked: Counter;
  readonly failures: Counter;
  readonly leader: Gauge;
}

function metricsOn(registry: Registry): OverdueMetrics {
  const counter = (name: string, help: string): Counter =>
    (registry.getSingleMetric(name) as Counter | undefined) ?? new Counter({ name, help, registers: [registry] });
  const leaderName = 'haidang_referrals_overdue_checker_leader';
  return {
    checks: counter('haidang_referrals_overdue_checks_total', 'Rounds of the referral deadline checker run by the leader'),
    marked: counter('haidang_referrals_overdue_marked_total', 'Referrals marked overdue (ReferralOverdue appended)'),
    failures: counter('haidang_referrals_overdue_failures_total', 'Referrals the checker could not mark, or rounds that failed (retried next round)'),
    leader:
      (registry.getSingleMetric(leaderName) as Gauge | undefined) ??
      new Gauge({ name: leaderName, help: '1 while this process holds the overdue-checker lock and checks deadlines, 0 on standby', registers: [registry] }),
  };
}

/**
 * The referral deadline checker: one active instance per database (a PostgreSQL session advisory
 * lock, `OVERDUE_LOCK_CLASS`), the others stand by and retry. The leader runs a round at once and
 * then every `intervalMs`; a round marks every pending referral past its due date whose current
 * receiver was not marked yet (markOverdueReferrals). Restarting, or two leaders overlapping for a
 * moment (a lock session lost while its round runs), never yields a second event: the decision is
 * made on the stream and appended at its version under a per-(referral, receiver, due date) key.
 */
export class OverdueChecker {
  private readonly intervalMs: number;
  private readonly clock: () => Date;
  private readonly logger: MessagingLogger;
  private readonly metrics: OverdueMetrics;
  private readonly loop: LeaderLoop<OverdueLockConnection>;
  private rounds = 0;
  private lastRound: OverdueRoundResult | undefined;

  constructor(private readonly options: OverdueCheckerOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_OVERDUE_CHECK_INTERVAL_MS;
    this.clock = options.clock;
    this.logger = options.logger ?? consoleLogger;
    this.metrics = metricsOn(options.registry ?? new Registry());
    const makeClient = AdvisoryLockSession.clientFactory(options.pool, 'haidang-referrals:overdue-checker');
    this.loop = new LeaderLoop({
      openSession: () => OverdueLockConnection.open(makeClient),
      lead: (lock, leadership) => this.lead(lock, leadership),
      lockRetryMs: Math.min(options.lockRetryMs ?? DEFAULT_OVERDUE_LOCK_RETRY_MS, this.intervalMs),
      logger: this.logger,
      describeError: errorName,
      messages: {
        active: 'overdue checker is the leader',
        unreachable: 'overdue checker cannot reach PostgreSQL for its lock',
        // Neither is expected: a round catches its own errors, and a lost session ends `lead`.
        leadFailed: 'overdue checker failed; retrying',
        leadershipError: 'overdue checker leadership ended with an error',
      },
      onStatus: (status) => this.metrics.leader.set(status === 'active' ? 1 : 0),
    });
  }

  get status(): OverdueCheckerStatus {
    const status = this.loop.status;
    return status === 'active' ? 'leader' : status;
  }

  /** Rounds this instance has completed as leader (tests wait on it instead of on time). */
  get roundsCompleted(): number {
    return this.rounds;
  }

  get lastResult(): OverdueRoundResult | undefined {
    return this.lastRound;
  }

  /** The lock session's backend pid while leader (failure drills end it with pg_terminate_backend). */
  get lockBackendPid(): number | undefined {
    return this.loop.session?.backendPid;
  }

  /** Starts in the background: standby until the lock is taken. Idempotent. */
  start(): void {
    this.loop.start();
  }

  /** Finishes the referral in hand, releases the lock, resolves when stopped. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Stops as a crash would: the lock session is dropped, not released. For failure drills. */
  abort(): Promise<void> {
    return this.loop.abort();
  }

  /** A round at once, then one every `intervalMs`, for as long as the lock is ours. */
  private async lead(lock: OverdueLockConnection, leadership: Leadership): Promise<void> {
    try {
      while (!leadership.signal.aborted && !lock.isLost && (await lock.stillHeld())) {
        await this.round(lock, leadership.signal);
        await leadership.sleep(this.intervalMs, lock.lost());
      }
    } catch (error) {
      this.logger.warn('overdue checker lost its lock session', { error: errorName(error) });
    }
  }

  private async round(lock: OverdueLockConnection, stop: AbortSignal): Promise<void> {
    try {
      const result = await markOverdueReferrals({
        referrals: this.options.referrals,
        candidates: this.options.candidates,
        now: this.clock(),
        correlationId: randomUUID(),
        shouldContinue: () => !stop.aborted && !lock.isLost,
        ...(this.options.batchSize === undefined ? {} : { batchSize: this.options.batchSize }),
      });
      this.lastRound = result;
      if (result.ran) this.metrics.checks.inc();
      this.metrics.marked.inc(result.marked);
      this.metrics.failures.inc(result.failed);
      if (result.marked > 0 || result.failed > 0)
        this.logger.info('overdue check', { candidates: result.candidates, marked: result.marked, conflicts: result.conflicts, failed: result.failed });
      if (result.failed > 0) this.logger.warn('overdue checker could not mark some referrals; retrying next round', { failed: result.failed });
    } catch (error) {
      this.metrics.failures.inc();
      this.logger.warn('overdue check failed; retrying next round', { error: errorName(error) });
    }
    this.rounds++;
  }
}

/** The error's class name only: a database message can quote the values of a statement. */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
