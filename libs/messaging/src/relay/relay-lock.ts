import { START, type Position } from '@haidang/event-store';
import type { Client } from 'pg';
import { AdvisoryLockSession } from '../leadership/advisory-lock-session';

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
export class RelayLockConnection extends AdvisoryLockSession {
  private waiters: Array<() => void> = [];

  private constructor(client: Client, relayId: string) {
    super(client, RELAY_LOCK_CLASS, relayId);
    client.on('notification', () => this.wakeAll());
  }

  static open(makeClient: () => Client, relayId: string): Promise<RelayLockConnection> {
    return AdvisoryLockSession.connected(new RelayLockConnection(makeClient(), relayId));
  }

  protected override whenLost(): void {
    this.wakeAll();
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
    if (this.isLost) waiter();
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

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

export const INITIAL_CHECKPOINT = (stream: string): RelayCheckpoint => ({ position: START, lastEventId: null, stream, streamSequence: 0 });
