import { createTestDatabase, waitFor, type TestDatabase } from '@haidang/testing';
import type { Client } from 'pg';
import type { MessagingLogger } from '../logger';
import { AdvisoryLockSession } from './advisory-lock-session';
import { LeaderLoop, type Leadership, type LeaderLoopOptions, type LeaderStatus } from './leader-loop';

jest.setTimeout(30_000);

const LOCK_CLASS = 72_410_099; // any class: a throwaway database has no other advisory locks
const LOCK_RETRY_MS = 100;

class TestLockSession extends AdvisoryLockSession {
  private constructor(client: Client, key: string) {
    super(client, LOCK_CLASS, key);
  }

  static open(makeClient: () => Client, key: string): Promise<TestLockSession> {
    return AdvisoryLockSession.connected(new TestLockSession(makeClient(), key));
  }
}

type Lead = (session: TestLockSession, leadership: Leadership) => Promise<void>;

/** Leads until stopped or its session is lost, as the relay and the outbox publisher do. */
const holdOn: Lead = (session, leadership) => leadership.sleep(60_000, session.lost());

interface Probe {
  readonly loop: LeaderLoop<TestLockSession>;
  readonly name: string;
  readonly statuses: LeaderStatus[];
  /** When each status was entered (ms since the epoch), in step with `statuses`. */
  readonly changedAt: number[];
  readonly sessionsOpened: () => number;
  readonly said: Array<{ level: keyof MessagingLogger; message: string; context?: Record<string, unknown> }>;
}

describe('LeaderLoop (advisory lock on PostgreSQL)', () => {
  let database: TestDatabase;
  const probes: Probe[] = [];

  beforeEach(async () => {
    database = await createTestDatabase({ pool: { max: 4 } });
  });

  afterEach(async () => {
    await Promise.all(probes.splice(0).map((probe) => probe.loop.stop()));
    await database.drop();
  });

  const probe = (name: string, lead: Lead = holdOn, options: Partial<LeaderLoopOptions<TestLockSession>> = {}): Probe => {
    const makeClient = AdvisoryLockSession.clientFactory(database.pool, `leader-loop-spec:${name}`);
    const statuses: LeaderStatus[] = [];
    const changedAt: number[] = [];
    const said: Probe['said'] = [];
    const record =
      (level: keyof MessagingLogger) =>
      (message: string, context?: Record<string, unknown>): void =>
        void said.push({ level, message, ...(context === undefined ? {} : { context }) });
    let opened = 0;
    const loop = new LeaderLoop<TestLockSession>({
      openSession: () => {
        opened++;
        return TestLockSession.open(makeClient, 'the-lock');
      },
      lead,
      lockRetryMs: LOCK_RETRY_MS,
      logger: { info: record('info'), warn: record('warn'), error: record('error') },
      logContext: { loop: name },
      messages: { active: 'active', unreachable: 'unreachable', leadFailed: 'lead failed', leadershipError: 'leadership error', lost: 'lost' },
      onStatus: (status) => {
        statuses.push(status);
        changedAt.push(Date.now());
      },
      ...options,
    });
    const created = { loop, name, statuses, changedAt, said, sessionsOpened: () => opened };
    probes.push(created);
    return created;
  };

  /** The backend pids that hold the lock, from the server's side. */
  async function lockHolders(): Promise<number[]> {
    const { rows } = await database.pool.query<{ pid: number }>(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1::int::oid`, [
      LOCK_CLASS,
    ]);
    return rows.map((row) => row.pid);
  }

  async function oneActive(of: Probe[]): Promise<Probe> {
    return waitFor(
      async () => {
        const active = of.filter((p) => p.loop.status === 'active');
        if (active.length !== 1) return undefined;
        const leader = active[0] as Probe;
        expect(await lockHolders()).toEqual([leader.loop.session?.backendPid]);
        return leader;
      },
      { timeoutMs: 5_000, description: 'exactly one active loop, holding the lock' },
    );
  }

  /** `a` active; `b` has tried the lock and is waiting to try again. */
  async function leaderAndStandby(standbyOptions: Partial<LeaderLoopOptions<TestLockSession>> = {}): Promise<[Probe, Probe]> {
    const a = probe('a');
    a.loop.start();
    await oneActive([a]);
    const b = probe('b', holdOn, standbyOptions);
    b.loop.start();
    await waitFor(
      async () => {
        const { rows } = await database.pool.query<{ idle: number }>(
          `SELECT count(*)::int AS idle FROM pg_stat_activity WHERE application_name = 'leader-loop-spec:b' AND state = 'idle'`,
        );
        return b.loop.status === 'standby' && rows[0]?.idle === 1;
      },
      { description: 'b standing by after a first attempt' },
    );
    return [a, b];
  }

  it('makes exactly one of two loops on one lock active; the other stands by for as long as it holds it', async () => {
    const a = probe('a');
    const b = probe('b');
    a.loop.start();
    b.loop.start();
    a.loop.start(); // idempotent: no second run, no second session
    const leader = await oneActive([a, b]);
    const other = leader.name === 'a' ? b : a;
    expect(other.loop.status).toBe('standby');
    expect(other.loop.session).toBeUndefined();

    // Several retry periods later nothing has changed hands, and neither was ever active twice.
    await new Promise((resolve) => setTimeout(resolve, 5 * LOCK_RETRY_MS));
    expect((await oneActive([a, b])).name).toBe(leader.name);
    expect(leader.statuses).toEqual(['standby', 'active']);
    expect(other.statuses).toEqual(['standby']);
    expect(leader.sessionsOpened()).toBe(1);
    expect(leader.said).toEqual([{ level: 'info', message: 'active', context: { loop: leader.name } }]);
  });

  it('hands the lock to the standby when the active loop stops, and releases it on stop', async () => {
    const [a, b] = await leaderAndStandby();

    await a.loop.stop();
    expect(a.loop.status).toBe('stopped');
    expect(a.statuses.at(-1)).toBe('stopped');
    expect((await oneActive([a, b])).name).toBe('b');
    // Stopped, not lost: nothing said about a lost session.
    expect(a.said.map((s) => s.message)).toEqual(['active']);

    // Restarted, it stands by behind b.
    a.loop.start();
    await new Promise((resolve) => setTimeout(resolve, 3 * LOCK_RETRY_MS));
    expect(a.loop.status).toBe('standby');
    expect((await oneActive([a, b])).name).toBe('b');
  });

  it('hands the lock to the standby when the leader’s session is killed; the killed loop stands by and waits before trying again', async () => {
    const [a, b] = await leaderAndStandby();

    const pid = a.loop.session?.backendPid;
    expect(pid).toEqual(expect.any(Number));
    await database.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    await waitFor(() => a.loop.status !== 'active', { description: 'the killed loop to notice' });
    expect((await oneActive([a, b])).name).toBe('b');
    expect(a.loop.status).toBe('standby');
    expect(a.statuses).toEqual(['standby', 'active', 'standby']);
    expect(a.said.map((s) => s.message)).toContain('lost');
  });

  it('after losing its session, waits two retry periods before taking a free lock again', async () => {
    const a = probe('a');
    a.loop.start();
    await oneActive([a]);
    const opened = a.sessionsOpened();

    await database.pool.query('SELECT pg_terminate_backend($1)', [a.loop.session?.backendPid]);
    await waitFor(() => a.statuses.length >= 4, { description: 'the killed loop active again' });
    expect(a.statuses).toEqual(['standby', 'active', 'standby', 'active']);
    const [, , lostAt, activeAgainAt] = a.changedAt as [number, number, number, number];
    expect(activeAgainAt - lostAt).toBeGreaterThanOrEqual(2 * LOCK_RETRY_MS - 5);
    expect(a.sessionsOpened()).toBe(opened + 1);
    await oneActive([a]);
  });

  it('retries a failing lead on the same lock with exponential back-off, from the start again after progress', async () => {
    const calls: number[] = [];
    let progressAfter = Number.POSITIVE_INFINITY;
    const failing: Lead = (_session, leadership) => {
      calls.push(Date.now());
      if (calls.length > progressAfter) leadership.progressed();
      return Promise.reject(new Error('broker down'));
    };
    const failures: unknown[] = [];
    const a = probe('a', failing, { backoff: { initialMs: 40, maxMs: 320 }, onLeadFailure: (error) => void failures.push(error) });
    a.loop.start();
    await waitFor(() => calls.length >= 8, { timeoutMs: 10_000, description: 'eight failed leads' });
    progressAfter = calls.length;
    await waitFor(() => calls.length >= progressAfter + 4, { timeoutMs: 10_000, description: 'leads that made progress' });
    await a.loop.stop();

    const gaps = calls.slice(1).map((at, i) => at - (calls[i] as number));
    // 40 ms doubling to 320 ms, each ±25 %: 30–50, 60–100, 120–200, 240–400, then at most 400.
    expect(gaps[0]).toBeLessThan(120);
    expect(gaps[2]).toBeGreaterThanOrEqual(115);
    expect(gaps[3]).toBeGreaterThanOrEqual(235);
    expect(gaps[5]).toBeGreaterThanOrEqual(235);
    for (const gap of gaps.slice(0, 7)) expect(gap).toBeLessThan(600);
    // Progress resets the back-off: a lead that made progress before failing is retried after ~initialMs.
    for (const gap of gaps.slice(progressAfter)) expect(gap).toBeLessThan(120);

    // It kept the lock throughout: one session, active until stopped.
    expect(a.sessionsOpened()).toBe(1);
    expect(a.statuses).toEqual(['standby', 'active', 'stopped']);
    expect(failures.length).toBeGreaterThanOrEqual(calls.length - 1);
    const failed = a.said.filter((s) => s.message === 'lead failed');
    expect(failed.slice(0, 5).map((s) => s.level)).toEqual(['warn', 'warn', 'warn', 'warn', 'warn']);
    expect(failed[5]).toMatchObject({ level: 'error', context: { loop: 'a', error: 'Error: broker down', failures: 6, retryInMs: expect.any(Number) } });
  });

  it('stands by again when lead returns on its own, and leads again after two retry periods', async () => {
    let leads = 0;
    const a = probe('a', () => {
      leads++;
      return Promise.resolve();
    });
    a.loop.start();
    await waitFor(() => leads >= 2, { description: 'a second lead' });
    expect(a.statuses.slice(0, 4)).toEqual(['standby', 'active', 'standby', 'active']);
    expect(a.said.filter((s) => s.message === 'lost')).not.toHaveLength(0);
  });

  it('returns promptly from stop() while standing by, and from a stop while leading', async () => {
    const [a, b] = await leaderAndStandby({ lockRetryMs: 20_000 });

    let startedAt = Date.now();
    await b.loop.stop();
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(b.loop.status).toBe('stopped');

    startedAt = Date.now();
    await a.loop.stop();
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(await lockHolders()).toEqual([]);
  });

  it('drops the session on abort, as a crash would, and the standby takes over', async () => {
    const [a, b] = await leaderAndStandby();

    await a.loop.abort();
    expect(a.loop.status).toBe('stopped');
    expect((await oneActive([a, b])).name).toBe('b');
  });

  it('keeps trying while PostgreSQL cannot be reached', async () => {
    const a = probe('a', holdOn, { openSession: () => Promise.reject(new Error('connection refused')) });
    a.loop.start();
    await waitFor(() => a.said.filter((s) => s.message === 'unreachable').length >= 3, { description: 'three failed attempts' });
    expect(a.loop.status).toBe('standby');
    expect(a.said[0]).toEqual({ level: 'warn', message: 'unreachable', context: { loop: 'a', error: 'Error: connection refused' } });
  });
});
