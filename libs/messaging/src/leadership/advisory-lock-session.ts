import { Client, type ClientConfig, type Pool } from 'pg';

/**
 * A dedicated PostgreSQL session that holds a session advisory lock `(lockClass, hashtext(key))`
 * for as long as it lives: how the relay, the outbox publisher and deadline checkers make exactly
 * one instance active per database. Losing the session loses the lock (the server drops it), so a
 * holder whose session ended stops; a standby takes the lock at its next attempt. Subclasses add
 * the work that must go through the locked session (the relay's checkpoint, the outbox's marks).
 */
export abstract class AdvisoryLockSession {
  private lostFlag = false;
  private readonly lostListeners = new Set<() => void>();

  protected constructor(
    protected readonly client: Client,
    private readonly lockClass: number,
    private readonly lockKey: string,
  ) {
    client.on('error', () => this.lose());
    client.on('end', () => this.lose());
  }

  /**
   * Makes the clients of lock sessions on `pool`'s database, named `applicationName` in
   * pg_stat_activity. A query that hangs (half-open connection) must fail, not keep a dead leader
   * working or block leadership for ever.
   */
  static clientFactory(pool: Pool, applicationName: string): () => Client {
    const config: ClientConfig = { ...(pool.options as ClientConfig), keepAlive: true, query_timeout: 15_000, application_name: applicationName };
    return () => new Client(config);
  }

  /** Connects a new session; one that fails to connect is closed before the error is passed on. */
  protected static async connected<T extends AdvisoryLockSession>(session: T): Promise<T> {
    try {
      await session.client.connect();
    } catch (error) {
      session.destroy();
      throw error;
    }
    return session;
  }

  private lose(): void {
    if (this.lostFlag) return;
    this.lostFlag = true;
    this.whenLost();
    for (const listener of this.lostListeners) listener();
  }

  /** Runs once, when the session is lost (before the `onLost` listeners); nothing by default. */
  protected whenLost(): void {
    return undefined;
  }

  get isLost(): boolean {
    return this.lostFlag;
  }

  onLost(listener: () => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** Resolves when the session is lost (at once if it already is). */
  lost(): Promise<void> {
    if (this.lostFlag) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.onLost(() => {
        off();
        resolve();
      });
    });
  }

  /** The backend's pid: an operator (or a test) can end the session with pg_terminate_backend. */
  get backendPid(): number | undefined {
    return (this.client as Client & { processID?: number }).processID;
  }

  async tryLock(): Promise<boolean> {
    const { rows } = await this.client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [this.lockClass, this.lockKey]);
    return rows[0]?.locked === true;
  }

  /**
   * Whether this session still holds the lock: a half-open connection the client has not noticed
   * yet fails here (query timeout) instead of working on unseen.
   */
  async stillHeld(): Promise<boolean> {
    const { rows } = await this.client.query<{ held: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
         AND classid = $1::int::oid AND objid = hashtext($2)::oid AND objsubid = 2) AS held`,
      [this.lockClass, this.lockKey],
    );
    return rows[0]?.held === true;
  }

  /** Unlocks and closes: a standby takes over at its next attempt. */
  async release(): Promise<void> {
    if (!this.lostFlag) await this.client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [this.lockClass, this.lockKey]).catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }

  /** Closes without unlocking (the server drops the lock with the session), as a crash would. */
  destroy(): void {
    this.lose();
    void this.client.end().catch(() => undefined);
  }
}
