import type { Client } from 'pg';
import { AdvisoryLockSession } from '../leadership/advisory-lock-session';

/**
 * Advisory-lock class of outbox-publisher leadership (72_410_001 migrations, 72_410_002 test
 * templates, 72_410_003 relay leadership and projection schema set-up are taken).
 */
export const OUTBOX_LOCK_CLASS = 72_410_004;

export interface PendingOutboxRow {
  readonly id: string;
  readonly subject: string;
  readonly payload: Buffer;
  readonly headers: Record<string, string>;
}

const SELECT_PENDING = `SELECT id::text AS id, subject, payload, headers
  FROM messaging_outbox
  WHERE service = $1 AND published_at IS NULL
  ORDER BY source_commit, source_prepare, seq
  LIMIT $2`;

const MARK_PUBLISHED = `UPDATE messaging_outbox o
  SET published_at = now(), published_stream = $2, published_seq = a.seq, last_error = NULL
  FROM unnest($1::uuid[], $3::bigint[]) AS a(id, seq)
  WHERE o.id = a.id AND o.published_at IS NULL`;

const RECORD_FAILURE = `UPDATE messaging_outbox SET attempts = attempts + 1, last_error = $2
  WHERE id = ANY($1::uuid[]) AND published_at IS NULL`;

/**
 * The publisher's dedicated PostgreSQL session, the same approach as the relay's
 * `RelayLockConnection`: it holds the session advisory lock that makes one publisher per service
 * active, and reads and marks rows through it, so a publisher whose session died (and so lost the
 * lock) stops touching the outbox with it.
 */
export class OutboxLockConnection extends AdvisoryLockSession {
  private constructor(client: Client, service: string) {
    super(client, OUTBOX_LOCK_CLASS, service);
  }

  static open(makeClient: () => Client, service: string): Promise<OutboxLockConnection> {
    return AdvisoryLockSession.connected(new OutboxLockConnection(makeClient(), service));
  }

  async pending(service: string, limit: number): Promise<PendingOutboxRow[]> {
    const { rows } = await this.client.query<PendingOutboxRow>({ text: SELECT_PENDING, values: [service, limit] });
    return rows;
  }

  async markPublished(ids: readonly string[], stream: string, seqs: readonly number[]): Promise<void> {
    await this.client.query({ text: MARK_PUBLISHED, values: [ids, stream, seqs] });
  }

  /** The row whose publication the given stream acknowledged last (highest sequence), if any is still kept. */
  async newestPublished(service: string, stream: string): Promise<{ id: string; subject: string; seq: number } | undefined> {
    const { rows } = await this.client.query<{ id: string; subject: string; published_seq: string }>(
      `SELECT id::text, subject, published_seq FROM messaging_outbox
        WHERE service = $1 AND published_stream = $2 AND published_at IS NOT NULL
        ORDER BY published_seq DESC LIMIT 1`,
      [service, stream],
    );
    const row = rows[0];
    return row ? { id: row.id, subject: row.subject, seq: Number(row.published_seq) } : undefined;
  }

  /** Marks for publication again every kept row the stream acknowledged after `afterSeq` (all, when null). */
  async markUnpublishedAfter(service: string, stream: string, afterSeq: number | null): Promise<number> {
    const result = await this.client.query(
      `UPDATE messaging_outbox SET published_at = NULL, published_stream = NULL, published_seq = NULL
        WHERE service = $1 AND published_stream = $2 AND published_at IS NOT NULL AND ($3::bigint IS NULL OR published_seq > $3::bigint)`,
      [service, stream, afterSeq],
    );
    return result.rowCount ?? 0;
  }

  /** The error text only: it names the broker's complaint, never a payload. */
  async recordFailure(ids: readonly string[], error: string): Promise<void> {
    await this.client.query({ text: RECORD_FAILURE, values: [ids, error.slice(0, 1000)] });
  }
}
