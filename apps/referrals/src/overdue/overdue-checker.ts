import { randomUUID } from 'node:crypto';
import { Client, type ClientConfig, type Pool } from 'pg';
import { Counter, Gauge, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { consoleLogger, type MessagingLogger } from '@haidang/messaging';
import type { ReferralRepository } from '../referral/referral.repository';
import { markOverdueReferrals, type OverdueRoundResult } from './mark-overdue-referrals';
import { OverdueLockConnection } from './overdue-lock';

export const DEFAULT_OVERDUE_CHECK_INTERVAL_MS = 60_000;
export const DEFAULT_OVERDUE_LOCK_RETRY_MS = 5_000;

export interface OverdueCheckerOptions {
  readonly referrals: ReferralRepository;
  readonly readModel: DataSource;
  /** The service's pool: its connection settings are used for the lock session. */
  readonly pool: Pool;
  /** Between rounds of the leader (default 60 s); the first round runs as soon as the lock is taken. */
  readonly intervalMs?: number;
  /** How often a standby tries the lock (default 5 s, at most the interval). */
  readonly lockRetryMs?: number;
  /** Tests: the time the checker believes it is (default the system clock). */
  readonly clock?: () => Date;
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
  const counter = (name: string, help: string): Counter => (registry.getSingleMetric(name) as Counter | undefined) ?? new Counter({ name, help, registers: [registry] });
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
  private readonly lockRetryMs: number;
  private readonly clock: () => Date;
  private readonly logger: MessagingLogger;
  private readonly metrics: OverdueMetrics;
  private readonly makeClient: () => Client;
  private stopController = new AbortController();
  private running: Promise<void> | undefined;
  private statusValue: OverdueCheckerStatus = 'stopped';
  private rounds = 0;
  private lastRound: OverdueRoundResult | undefined;
  private currentLock: OverdueLockConnection | undefined;
  private aborting = false;

  constructor(private readonly options: OverdueCheckerOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_OVERDUE_CHECK_INTERVAL_MS;
    this.lockRetryMs = Math.min(options.lockRetryMs ?? DEFAULT_OVERDUE_LOCK_RETRY_MS, this.intervalMs);
    this.clock = options.clock ?? (() => new Date());
    this.logger = options.logger ?? consoleLogger;
    this.metrics = metricsOn(options.registry ?? new Registry());
    const config: ClientConfig = {
      ...(options.pool.options as ClientConfig),
      keepAlive: true,
      // A lock check that hangs (half-open connection) must fail, not keep a dead leader working.
      query_timeout: 15_000,
      application_name: 'haidang-referrals:overdue-checker',
    };
    this.makeClient = () => new Client(config);
  }

  get status(): OverdueCheckerStatus {
    return this.statusValue;
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
    return this.currentLock?.backendPid;
  }

  /** Starts in the background: standby until the lock is taken. Idempotent. */
  start(): void {
    if (this.running) return;
    this.stopController = new AbortController();
    this.aborting = false;
    this.setStatus('standby');
    this.running = this.run().finally(() => {
      this.setStatus('stopped');
      this.running = undefined;
    });
  }

  /** Finishes the referral in hand, releases the lock, resolves when stopped. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.running;
  }

  /** Stops as a crash would: the lock session is dropped, not released. For failure drills. */
  async abort(): Promise<void> {
    this.aborting = true;
    this.stopController.abort();
    this.currentLock?.destroy();
    await this.running;
  }

  private get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  private setStatus(status: OverdueCheckerStatus): void {
    this.statusValue = status;
    this.metrics.leader.set(status === 'leader' ? 1 : 0);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const lock = await this.becomeLeader();
      if (!lock) return;
      this.currentLock = lock;
      this.setStatus('leader');
      this.logger.info('overdue checker is the leader');
      try {
        while (!this.stopping && !lock.isLost && (await lock.stillHeld())) {
          await this.round(lock);
          await this.sleep(this.intervalMs, lock.lost());
        }
      } catch (error) {
        this.logger.warn('overdue checker lost its lock session', { error: errorName(error) });
      } finally {
        this.currentLock = undefined;
        if (!this.stopping) this.setStatus('standby');
        if (this.stopping && !this.aborting) await lock.release();
        else lock.destroy();
      }
      // Lost, not released: give a standby with a healthy session the chance to take over first.
      if (!this.stopping) await this.sleep(2 * this.lockRetryMs);
    }
  }

  private async becomeLeader(): Promise<OverdueLockConnection | undefined> {
    let connection: OverdueLockConnection | undefined;
    while (!this.stopping) {
      try {
        if (!connection || connection.isLost) connection = await OverdueLockConnection.open(this.makeClient);
        if (await connection.tryLock()) return connection;
      } catch (error) {
        this.logger.warn('overdue checker cannot reach PostgreSQL for its lock', { error: errorName(error) });
        connection?.destroy();
        connection = undefined;
      }
      await this.sleep(this.lockRetryMs);
    }
    connection?.destroy();
    return undefined;
  }

  private async round(lock: OverdueLockConnection): Promise<void> {
    try {
      const result = await markOverdueReferrals({
        referrals: this.options.referrals,
        readModel: this.options.readModel,
        now: this.clock(),
        correlationId: randomUUID(),
        shouldContinue: () => !this.stopping && !lock.isLost,
        ...(this.options.batchSize === undefined ? {} : { batchSize: this.options.batchSize }),
      });
      this.lastRound = result;
      if (result.ran) this.metrics.checks.inc();
      this.metrics.marked.inc(result.marked);
      this.metrics.failures.inc(result.failed);
      if (result.marked > 0 || result.failed > 0) this.logger.info('overdue check', { candidates: result.candidates, marked: result.marked, conflicts: result.conflicts, failed: result.failed });
      if (result.failed > 0) this.logger.warn('overdue checker could not mark some referrals; retrying next round', { failed: result.failed });
    } catch (error) {
      this.metrics.failures.inc();
      this.logger.warn('overdue check failed; retrying next round', { error: errorName(error) });
    }
    this.rounds++;
  }

  private sleep(ms: number, orUntil?: Promise<void>): Promise<void> {
    const signal = this.stopController.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      void orUntil?.then(done);
    });
  }
}

/** The error's class name only: a database message can quote the values of a statement. */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
