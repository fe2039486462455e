import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { contentHashOf } from '../event-data';

export type IntegrityBreakReason =
  /** The event's bytes or its stored hash were changed after it was written. */
  | 'hash-mismatch'
  /** A revision is missing (an event deleted, or its revision changed). */
  | 'revision-gap'
  /** The stream's recorded head does not match its last event (events deleted or added at the end). */
  | 'head-mismatch';

export interface IntegrityBreak {
  readonly streamName: string;
  /** The first revision where the chain does not hold (the stream's head for `head-mismatch`). */
  readonly revision: bigint;
  readonly reason: IntegrityBreakReason;
}

export interface IntegrityReport {
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  /** Events stored before the chain existed (migration 0002): nothing to check them against. */
  readonly unchainedEvents: number;
  readonly breaks: readonly IntegrityBreak[];
  /** True when the report stopped listing breaks at `maxBreaks`. */
  readonly truncated: boolean;
}

const GENESIS = Buffer.alloc(32);
const PAGE = 2000;

interface Row {
  event_id: string;
  stream_name: string;
  revision: string;
  event_type: string;
  schema_version: number;
  data: string;
  metadata: string;
  hash: Buffer | null;
  time_bytes: Buffer;
}

interface StreamHead {
  revision: bigint;
  hash: Buffer;
}

/**
 * Recomputes every stream's hash chain (ADR 0007) from what is stored, in one consistent
 * snapshot, and reports each place where it does not hold. Erasure (crypto-shredding) leaves the
 * chain valid: the stored ciphertext does not change.
 */
export async function verifyIntegrity(pool: Pool, options: { streamPrefix?: string; maxBreaks?: number } = {}): Promise<IntegrityReport> {
  const maxBreaks = options.maxBreaks ?? 100;
  const prefix = options.streamPrefix ?? '';
  const breaks: IntegrityBreak[] = [];
  let truncated = false;
  const report = (found: IntegrityBreak): void => {
    if (breaks.length < maxBreaks) breaks.push(found);
    else truncated = true;
  };

  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const heads = new Map<string, StreamHead>();
    const { rows: headRows } = await client.query<{ stream_name: string; revision: string; hash: Buffer }>(
      `SELECT stream_name, revision::text AS revision, last_hashes[array_upper(last_hashes, 1)] AS hash
         FROM es_streams WHERE starts_with(stream_name, $1)`,
      [prefix],
    );
    for (const row of headRows) heads.set(row.stream_name, { revision: BigInt(row.revision), hash: row.hash });

    let streamsChecked = 0;
    let eventsChecked = 0;
    let unchainedEvents = 0;
    let current: { name: string; expected: bigint; previous: Buffer } | undefined;
    const finishStream = (): void => {
      if (!current) return;
      const head = heads.get(current.name);
      heads.delete(current.name);
      if (!head || head.revision !== current.expected - 1n || !head.hash.equals(current.previous)) {
        report({ streamName: current.name, revision: head?.revision ?? current.expected - 1n, reason: 'head-mismatch' });
      }
    };

    let after: [string, string] = [prefix, '-1'];
    for (;;) {
      const { rows } = await client.query<Row>(
        `SELECT event_id::text AS event_id, stream_name, stream_revision::text AS revision, event_type, schema_version,
                data::text AS data, metadata::text AS metadata, hash, timestamptz_send(recorded_at) AS time_bytes
           FROM es_events
          WHERE (stream_name, stream_revision) > ($1, $2::bigint) AND starts_with(stream_name, $3)
          ORDER BY stream_name, stream_revision
          LIMIT ${PAGE}`,
        [after[0], after[1], prefix],
      );
      for (const row of rows) {
        if (current?.name !== row.stream_name) {
          finishStream();
          current = { name: row.stream_name, expected: 0n, previous: GENESIS };
          streamsChecked++;
        }
        const revision = BigInt(row.revision);
        if (revision !== current.expected) report({ streamName: row.stream_name, revision: current.expected, reason: 'revision-gap' });
        current.expected = revision + 1n;
        if (row.hash === null) {
          unchainedEvents++;
          continue;
        }
        const content = contentHashOf(row.event_id, row.stream_name, row.event_type, row.schema_version, row.data, row.metadata);
        const computed = createHash('sha256').update(current.previous).update(content).update(row.time_bytes).digest();
        if (!computed.equals(row.hash)) report({ streamName: row.stream_name, revision, reason: 'hash-mismatch' });
        // Go on from the stored hash, so that one changed event is reported once, not with every later one.
        current.previous = row.hash;
        eventsChecked++;
      }
      const last = rows[rows.length - 1];
      if (!last) break;
      after = [last.stream_name, last.revision];
    }
    finishStream();
    // Streams whose head says they have events, but none are left.
    for (const [streamName, head] of heads) report({ streamName, revision: head.revision, reason: 'head-mismatch' });
    await client.query('COMMIT');
    return { streamsChecked, eventsChecked, unchainedEvents, breaks, truncated };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
