import { START, type Position } from '@haidang/event-store';
import type { Client } from 'pg';

/** Advisory-lock class of relay leadership (72_410_001 migrations and 72_410_002 test templates are taken). */
export const RELAY_LOCK_CLASS = 72_410_003;

export interface RelayCheckpoint {
  /** The last event whose publish was acknowledged. */
  readonly position: Position;
  readonly lastEventId: string | null;
  /** The JetStream stream the sequence belongs to. */
  readonly stream: string;
  /** The stream sequence that acknowledged `lastEventId` (0: nothing acknowledged yet). */
  readonly streamSequence: number;
}

export interface WakeUp {
  readonly promise: Promise<void>;
  cancel(): void;
}

const SAVE_CHECKPOINT = `INSERT INTO messaging_relay_checkpoints
    (relay_id, position_commit, position_prepare, last_event_id, target_stream, stream_sequence, updated_at)
  VALUES ($1, $2::text::xid8, $3::bigint, $4::uuid, $5, $6::bigint, now())
  ON CONFLICT (relay_id) DO UPDATE SET
    position_commit = EXCLUDED.position_commit, position_prepare = EXCLUDED.position_prepare,
    last_event_id = EXCLUDED.last_event_id, target_stream = EXCLUDED.target_stream,
    stream_sequence = EXCLUDED.stream_sequence, updated_at = EXCLUDED.updated_at`;

const READ_CHECKPOINT = `SELECT position_commit::text AS commit, position_prepare::text AS prepare, last_event_id::text AS last_event_id,
    target_stream, stream_sequence::text AS stream_sequence
  FROM messaging_relay_checkpoints WHERE relay_id = $1`;

/**
 * The relay's dedicated PostgreSQL session. It holds the session advisory lock that makes one
 * relay per store active, and the checkpoint is written through it: a relay whose session died
 * (and so lost the lock) can no longer move the checkpoint. It also LISTENs for appends.
 */
export class RelayLockConnection {
  private lostFlag = false;
  private waiters: Array<() => void> = [];
  private readonly lostListeners = new Set<() => void>();

  private constructor(private readonly client: Client) {
    const lose = (): void => {
      if (this.lostFlag) return;
      this.lostFlag = true;
      this.wakeAll();
      for (const listener of this.lostListeners) listener();
    };
    client.on('error', lose);
    client.on('end', lose);
    client.on('notification', () => this.wakeAll());
  }

  static async open(makeClient: () => Client): Promise<RelayLockConnection> {
    const client = makeClient();
    const connection = new RelayLockConnection(client);
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

  onLost(listener: () => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** The backend's pid: an operator (or a test) can end the session with pg_terminate_backend. */
  get backendPid(): number | undefined {
    return (this.client as Client & { processID?: number }).processID;
  }

  async tryLock(relayId: string): Promise<boolean> {
    const { rows } = await this.client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [RELAY_LOCK_CLASS, relayId]);
    return rows[0]?.locked === true;
  }

  async listen(channel: string): Promise<void> {
    await this.client.query(`LISTEN ${channel}`);
  }

  /** Registered before a read, so an append notified during the read still wakes the waiter. */
  nextWakeUp(): WakeUp {
    let waiter!: () => void;
    const promise = new Promise<void>((resolve) => {
      waiter = resolve;
    });
    if (this.lostFlag) waiter();
    else this.waiters.push(waiter);
    return {
      promise,
      cancel: () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
      },
    };
  }

  async readCheckpoint(relayId: string): Promise<RelayCheckpoint | null> {
    const { rows } = await this.client.query<{ commit: string; prepare: string; last_event_id: string | null; target_stream: string; stream_sequence: string }>(
      READ_CHECKPOINT,
      [relayId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      position: { commit: BigInt(row.commit), prepare: BigInt(row.prepare) },
      lastEventId: row.last_event_id,
      stream: row.target_stream,
      streamSequence: Number(row.stream_sequence),
    };
  }

  async saveCheckpoint(relayId: string, checkpoint: RelayCheckpoint): Promise<void> {
    // Unnamed: one parse per batch costs nothing, and under PGlite every connection shares one
    // session, where a named statement prepared again by a reconnected relay would collide.
    await this.client.query({
      text: SAVE_CHECKPOINT,
      values: [
        relayId,
        checkpoint.position.commit.toString(),
        checkpoint.position.prepare.toString(),
        checkpoint.lastEventId,
        checkpoint.stream,
        checkpoint.streamSequence,
      ],
    });
  }

  /** Unlocks and closes: a standby takes over at its next attempt. */
  async release(relayId: string): Promise<void> {
    if (!this.lostFlag) {
      await this.client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [RELAY_LOCK_CLASS, relayId]).catch(() => undefined);
    }
    await this.client.end().catch(() => undefined);
  }

  /** Closes without unlocking (the server drops the lock with the session), as a crash would. */
  destroy(): void {
    void this.client.end().catch(() => undefined);
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

export const INITIAL_CHECKPOINT = (stream: string): RelayCheckpoint => ({ position: START, lastEventId: null, stream, streamSequence: 0 });
