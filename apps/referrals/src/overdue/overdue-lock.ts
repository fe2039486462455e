import type { Client } from 'pg';

/**
 * Advisory-lock class of the overdue checker's leadership. Taken classes: 72_410_001 migrations,
 * 72_410_002 test templates, 72_410_003 relay leadership and projection schema set-up, 72_410_004
 * outbox publishers. The key is `hashtext(OVERDUE_LOCK_KEY)`, so another service's checker on a
 * shared (embedded) database would take a lock of its own.
 */
export const OVERDUE_LOCK_CLASS = 72_410_005;
export const OVERDUE_LOCK_KEY = 'referrals/overdue-checker';

/**
 * The checker's dedicated PostgreSQL session. The session advisory lock is held for the life of the
 * connection: a checker whose session dies has lost leadership, and a standby takes the lock at its
 * next attempt. The appends themselves go through the pool (expected version + idempotency key make
 * an overlap of two leaders harmless); this session only says who should be working.
 */
export class OverdueLockConnection {
  private lostFlag = false;
  private readonly lostPromise: Promise<void>;

  private constructor(private readonly client: Client) {
    let markLost!: () => void;
    this.lostPromise = new Promise((resolve) => {
      markLost = resolve;
    });
    const lose = (): void => {
      if (this.lostFlag) return;
      this.lostFlag = true;
      markLost();
    };
    client.on('error', lose);
    client.on('end', lose);
  }

  static async open(makeClient: () => Client): Promise<OverdueLockConnection> {
    const client = makeClient();
    const connection = new OverdueLockConnection(client);
    try {
      await client.connect();
    } catch (error) {
      connection.destroy();
      throw error;
    }
    return connection;
  }

  get isLost(): boolean {
    return this.lostFlag;
  }

  /** Resolves when the session is lost (at once if it already is). */
  lost(): Promise<void> {
    return this.lostPromise;
  }

  /** The backend's pid: an operator (or a test) can end the session with pg_terminate_backend. */
  get backendPid(): number | undefined {
    return (this.client as Client & { processID?: number }).processID;
  }

  async tryLock(): Promise<boolean> {
    const { rows } = await this.client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [OVERDUE_LOCK_CLASS, OVERDUE_LOCK_KEY]);
    return rows[0]?.locked === true;
  }

  /**
   * Whether this session still holds the lock. Asked before every round: a half-open connection
   * that the client has not noticed yet fails here (query timeout) instead of working on unseen.
   */
  async stillHeld(): Promise<boolean> {
    const { rows } = await this.client.query<{ held: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
         AND classid = $1::int::oid AND objid = hashtext($2)::oid AND objsubid = 2) AS held`,
      [OVERDUE_LOCK_CLASS, OVERDUE_LOCK_KEY],
    );
    return rows[0]?.held === true;
  }

  /** Unlocks and closes: a standby takes over at its next attempt. */
  async release(): Promise<void> {
    if (!this.lostFlag) await this.client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [OVERDUE_LOCK_CLASS, OVERDUE_LOCK_KEY]).catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }

  /** Closes without unlocking (the server drops the lock with the session), as a crash would. */
  destroy(): void {
    void this.client.end().catch(() => undefined);
  }
}
