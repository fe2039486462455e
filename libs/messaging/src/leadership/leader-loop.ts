import { errorMessage, type MessagingLogger } from '../logger';
import type { AdvisoryLockSession } from './advisory-lock-session';

export type LeaderStatus = 'stopped' | 'standby' | 'active';

/** What the loop logs, in the words of its owner (`relay active`, `overdue checker is the leader`, …). */
export interface LeaderLoopMessages {
  /** info: the lock was taken. */
  readonly active: string;
  /** warn: a lock attempt failed (no connection, a query failed); retried after `lockRetryMs`. */
  readonly unreachable: string;
  /** warn, error from the sixth in a row: `lead` threw; retried on the same lock after a back-off. */
  readonly leadFailed: string;
  /** error: something other than `lead` failed while leading; the lock is given up. */
  readonly leadershipError: string;
  /** warn: leadership ended without a stop. Nothing is logged when left out. */
  readonly lost?: string;
}

/** What `lead` gets besides its session. */
export interface Leadership {
  /** Aborted by `stop()` and `abort()`: finish what is in hand and return. */
  readonly signal: AbortSignal;
  /** Work went through: the next failure backs off from `initialMs` again. */
  progressed(): void;
  /** Waits `ms`, or less when stopped or when `orUntil` settles. */
  sleep(ms: number, orUntil?: Promise<void>): Promise<void>;
}

export interface LeaderLoopOptions<S extends AdvisoryLockSession> {
  /** A new lock session, connected, not yet locked. */
  readonly openSession: () => Promise<S>;
  /** After the lock is taken, before leading (the relay LISTENs here). A failure counts as a failed attempt. */
  readonly onLocked?: (session: S) => Promise<void>;
  /**
   * The leader's work. Returning ends leadership: the loop releases the lock when stopped, or drops
   * the session and stands by (a lost session; a lock found no longer held). Throwing is a failed
   * session: `lead` runs again on the same lock after a back-off, while the session lives.
   */
  readonly lead: (session: S, leadership: Leadership) => Promise<void>;
  /** How often a standby tries to take the lock. */
  readonly lockRetryMs: number;
  /** Back-off between failed `lead`s (default 100 ms doubling to 5 s, ±25 % jitter). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  readonly logger: MessagingLogger;
  readonly messages: LeaderLoopMessages;
  /** Added to every log line (`{ relay: 'cases' }`); nothing by default. */
  readonly logContext?: Record<string, unknown>;
  /** How an error is written into a log line (default `errorMessage`; a name only where messages may quote data). */
  readonly describeError?: (error: unknown) => string;
  /** Every change of status, `stopped` last (status metrics hang here). */
  readonly onStatus?: (status: LeaderStatus) => void;
  /** Every failed `lead` that is retried (failure metrics hang here). */
  readonly onLeadFailure?: (error: unknown) => void;
}

/**
 * Makes one instance per lock active: it stands by and tries the advisory lock every
 * `lockRetryMs`, runs `lead` while it holds it, retries a failed `lead` with back-off, and after a
 * lost session waits two retry periods before trying again. Stopping releases the lock, aborting
 * drops the session as a crash would; either way a standby takes the lock at its next attempt.
 */
export class LeaderLoop<S extends AdvisoryLockSession> {
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly describeError: (error: unknown) => string;
  private statusValue: LeaderStatus = 'stopped';
  private running: Promise<void> | undefined;
  private stopController = new AbortController();
  private aborting = false;
  private current: S | undefined;

  constructor(private readonly options: LeaderLoopOptions<S>) {
    this.initialBackoffMs = options.backoff?.initialMs ?? 100;
    this.maxBackoffMs = options.backoff?.maxMs ?? 5_000;
    this.describeError = options.describeError ?? errorMessage;
  }

  get status(): LeaderStatus {
    return this.statusValue;
  }

  /** Started and not yet stopped (standby or active). */
  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** The locked session while active. */
  get session(): S | undefined {
    return this.current;
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

  /** Lets `lead` finish what it has in hand, releases the lock, resolves when stopped. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.running;
  }

  /**
   * Stops as a crash would: the session is dropped at once, not released. Its side effects happen
   * before it returns, so a caller can drop its own connections before awaiting. For failure drills.
   */
  abort(): Promise<void> {
    this.aborting = true;
    this.stopController.abort();
    this.current?.destroy();
    return this.running ?? Promise.resolve();
  }

  /** Waits `ms`, or less when stopped or when `orUntil` settles. */
  sleep(ms: number, orUntil?: Promise<void>): Promise<void> {
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
      void orUntil?.then(done, done);
    });
  }

  private get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  private setStatus(status: LeaderStatus): void {
    this.statusValue = status;
    this.options.onStatus?.(status);
  }

  private async run(): Promise<void> {
    const { messages, lockRetryMs } = this.options;
    while (!this.stopping) {
      const session = await this.becomeLeader();
      if (!session) return;
      this.current = session;
      this.setStatus('active');
      this.log('info', messages.active);
      try {
        await this.lead(session);
      } catch (error) {
        this.log('error', messages.leadershipError, { error: this.describeError(error) });
      } finally {
        this.current = undefined;
        if (!this.stopping) this.setStatus('standby');
        if (this.stopping && !this.aborting) await session.release();
        else session.destroy();
      }
      if (!this.stopping) {
        if (messages.lost !== undefined) this.log('warn', messages.lost);
        // Lost, not released: whatever broke our session may break the next one too. Give a standby
        // with a healthy session two retry periods to take over before trying again.
        await this.sleep(2 * lockRetryMs);
      }
    }
  }

  /** Tries the lock every `lockRetryMs` until it is ours (or we are stopped). */
  private async becomeLeader(): Promise<S | undefined> {
    let session: S | undefined;
    while (!this.stopping) {
      try {
        if (!session || session.isLost) session = await this.options.openSession();
        if (await session.tryLock()) {
          await this.options.onLocked?.(session);
          return session;
        }
      } catch (error) {
        this.log('warn', this.options.messages.unreachable, { error: this.describeError(error) });
        session?.destroy();
        session = undefined;
      }
      await this.sleep(this.options.lockRetryMs);
    }
    session?.destroy();
    return undefined;
  }

  /** `lead` while we hold the lock; one that fails is run again after a back-off. */
  private async lead(session: S): Promise<void> {
    let failures = 0;
    const leadership: Leadership = {
      signal: this.stopController.signal,
      progressed: () => {
        failures = 0;
      },
      sleep: (ms, orUntil) => this.sleep(ms, orUntil),
    };
    while (!this.stopping && !session.isLost) {
      try {
        await this.options.lead(session, leadership);
        return;
      } catch (error) {
        if (this.stopping || session.isLost) return;
        this.options.onLeadFailure?.(error);
        const delay = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** failures) * (0.75 + Math.random() * 0.5);
        failures++;
        // A broker restart fails a session or two; one that keeps failing holds all later work back,
        // and someone must look.
        this.log(failures > 5 ? 'error' : 'warn', this.options.messages.leadFailed, {
          error: this.describeError(error),
          retryInMs: Math.round(delay),
          failures,
        });
        await this.sleep(delay);
      }
    }
  }

  private log(level: keyof MessagingLogger, message: string, context?: Record<string, unknown>): void {
    const logContext = this.options.logContext;
    if (logContext === undefined && context === undefined) this.options.logger[level](message);
    else this.options.logger[level](message, { ...logContext, ...context });
  }
}
