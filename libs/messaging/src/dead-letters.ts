import type { Pool, PoolClient } from 'pg';

/** A message a consumer gave up on after its last attempt. */
export interface DeadLetter {
  readonly consumer: string;
  readonly stream: string;
  readonly streamSequence: number;
  readonly subject: string;
  readonly msgId: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: Uint8Array;
  readonly error: string;
  readonly attempts: number;
  readonly time: Date;
}

/**
 * Durable record of dead letters. `record` must be idempotent for the same (consumer, stream,
 * streamSequence): a crash between recording and terminating the message records it again.
 * If it throws, the message is not terminated; it is redelivered and recorded later.
 */
export interface DeadLetterSink {
  record(deadLetter: DeadLetter): Promise<void>;
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

interface DeadLetterRow {
  consumer: string;
  stream: string;
  stream_sequence: string;
  subject: string;
  msg_id: string | null;
  headers: Record<string, string>;
  payload: Buffer;
  error: string;
  attempts: number;
  dead_lettered_at: Date;
}

/** Dead letters in `messaging_dead_letters` (see `messagingMigrations`). */
export class PostgresDeadLetters implements DeadLetterSink {
  constructor(private readonly db: Queryable) {}

  async record(deadLetter: DeadLetter): Promise<void> {
    await this.db.query(
      `INSERT INTO messaging_dead_letters
         (consumer, stream, stream_sequence, subject, msg_id, headers, payload, error, attempts, dead_lettered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (consumer, stream, stream_sequence) DO NOTHING`,
      [
        deadLetter.consumer,
        deadLetter.stream,
        deadLetter.streamSequence,
        deadLetter.subject,
        deadLetter.msgId ?? null,
        JSON.stringify(deadLetter.headers),
        Buffer.from(deadLetter.payload),
        deadLetter.error,
        deadLetter.attempts,
        deadLetter.time,
      ],
    );
  }

  async list(consumer?: string): Promise<DeadLetter[]> {
    const { rows } = await this.db.query<DeadLetterRow>(
      `SELECT consumer, stream, stream_sequence::text AS stream_sequence, subject, msg_id, headers, payload, error, attempts, dead_lettered_at
         FROM messaging_dead_letters WHERE $1::text IS NULL OR consumer = $1 ORDER BY id`,
      [consumer ?? null],
    );
    return rows.map((row) => ({
      consumer: row.consumer,
      stream: row.stream,
      streamSequence: Number(row.stream_sequence),
      subject: row.subject,
      msgId: row.msg_id ?? undefined,
      headers: row.headers,
      payload: new Uint8Array(row.payload),
      error: row.error,
      attempts: row.attempts,
      time: row.dead_lettered_at,
    }));
  }
}

/** For tests and throwaway runs: dead letters kept in memory only. */
export class InMemoryDeadLetters implements DeadLetterSink {
  readonly entries: DeadLetter[] = [];

  async record(deadLetter: DeadLetter): Promise<void> {
    const seen = this.entries.some(
      (e) => e.consumer === deadLetter.consumer && e.stream === deadLetter.stream && e.streamSequence === deadLetter.streamSequence,
    );
    if (!seen) this.entries.push(deadLetter);
  }
}
