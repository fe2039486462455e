import type { Client } from 'pg';
import { AdvisoryLockSession } from '@haidang/messaging';

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
export class OverdueLockConnection extends AdvisoryLockSession {
  private constructor(client: Client) {
    super(client, OVERDUE_LOCK_CLASS, OVERDUE_LOCK_KEY);
  }

  static open(makeClient: () => Client): Promise<OverdueLockConnection> {
    return AdvisoryLockSession.connected(new OverdueLockConnection(makeClient()));
  }
}
