import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { StreamHead } from './merkle';

/** Why a place in the log does not hold. */
export type ChainBreakReason =
  /** The event's bytes or its stored hash changed after it was written. */
  | 'hash-mismatch'
  /** An event has no hash: inserted or un-chained by SQL (a missing hash is a break, never a count). */
  | 'unchained'
  /** A revision is missing: an event deleted, or its revision changed. */
  | 'revision-gap'
  /** The stream row's head does not match its last event (events deleted or added at the end, or the row rewritten). */
  | 'head-mismatch';

export interface ChainBreak {
  readonly reason: ChainBreakReason;
  readonly streamName: string;
  readonly revision: string;
}

export interface ChainWalk {
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  /** Every break found, in stream order (the caller keeps the first ones). */
  readonly breaks: readonly ChainBreak[];
  /** Each stream's last event: what a new checkpoint signs. */
  readonly heads: readonly StreamHead[];
  /** The stored hash at the revisions asked for (`wanted`), where the stream still has one. */
  readonly hashesAt: ReadonlyMap<string, { readonly revision: bigint; readonly hash: Buffer | null }>;
  /** The highest global position in the snapshot ("0" for an empty log). */
  readonly globalPosition: string;
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

/**
 * Recomputes every stream's hash chain (ADR 0007) inside the caller's REPEATABLE READ snapshot,
 * strictly: an event without a hash is a break. The content hash is the event store's
 * (`contentHashOf` in libs/event-store): sha256 over id, stream, type, schema version and the
 * stored data and metadata JSON, separated by U+001F.
 */
export async function walkChains(client: PoolClient, wanted: ReadonlyMap<string, bigint> = new Map()): Promise<ChainWalk> {
  const breaks: ChainBreak[] = [];
  const heads: StreamHead[] = [];
  const hashesAt = new Map<string, { revision: bigint; hash: Buffer | null }>();
  const recorded = new Map<string, { revision: bigint; hash: Buffer | null }>();
  const { rows: headRows } = await client.query<{ stream_name: string; revision: string; hash: Buffer | null }>(
    `SELECT stream_name, revision::text AS revision, last_hashes[array_upper(last_hashes, 1)] AS hash FROM es_streams`,
  );
  for (const row of headRows) recorded.set(row.stream_name, { revision: BigInt(row.revision), hash: row.hash });
  const { rows: positionRows } = await client.query<{ position: string | null }>(`SELECT max(global_position)::text AS position FROM es_events`);

  let streamsChecked = 0;
  let eventsChecked = 0;
  let current: { name: string; expected: bigint; previous: Buffer } | undefined;
  const finishStream = (): void => {
    if (!current) return;
    const head = recorded.get(current.name);
    recorded.delete(current.name);
    const last = current.expected - 1n;
    if (!head || head.revision !== last || !head.hash || !head.hash.equals(current.previous)) {
      breaks.push({ reason: 'head-mismatch', streamName: current.name, revision: String(head?.revision ?? last) });
    }
    heads.push({ streamName: current.name, revision: last, hash: current.previous });
  };

  let after: [string, string] = ['', '-1'];
  for (;;) {
    const { rows } = await client.query<Row>(
      `SELECT event_id::text AS event_id, stream_name, stream_revision::text AS revision, event_type, schema_version,
              data::text AS data, metadata::text AS metadata, hash, timestamptz_send(recorded_at) AS time_bytes
         FROM es_events
        WHERE (stream_name, stream_revision) > ($1, $2::bigint)
        ORDER BY stream_name, stream_revision
        LIMIT ${PAGE}`,
      after,
    );
    for (const row of rows) {
      if (current?.name !== row.stream_name) {
        finishStream();
        current = { name: row.stream_name, expected: 0n, previous: GENESIS };
        streamsChecked++;
      }
      const revision = BigInt(row.revision);
      if (revision !== current.expected) breaks.push({ reason: 'revision-gap', streamName: row.stream_name, revision: String(current.expected) });
      current.expected = revision + 1n;
      eventsChecked++;
      if (wanted.get(row.stream_name) === revision) hashesAt.set(row.stream_name, { revision, hash: row.hash });
      if (row.hash === null) {
        breaks.push({ reason: 'unchained', streamName: row.stream_name, revision: row.revision });
        // Nothing to chain from: the next event is checked against a hash no one can match.
        current.previous = GENESIS;
        continue;
      }
      const content = createHash('sha256')
        .update(`${row.event_id}\u001f${row.stream_name}\u001f${row.event_type}\u001f${row.schema_version}\u001f${row.data}\u001f${row.metadata}`, 'utf8')
        .digest();
      const computed = createHash('sha256').update(current.previous).update(content).update(row.time_bytes).digest();
      if (!computed.equals(row.hash)) breaks.push({ reason: 'hash-mismatch', streamName: row.stream_name, revision: row.revision });
      // Go on from the stored hash, so that one changed event is reported once, not with every later one.
      current.previous = row.hash;
    }
    const last = rows[rows.length - 1];
    if (!last) break;
    after = [last.stream_name, last.revision];
  }
  finishStream();
  // Streams whose row says they have events, but none are left.
  for (const [streamName, head] of recorded) breaks.push({ reason: 'head-mismatch', streamName, revision: String(head.revision) });
  return { streamsChecked, eventsChecked, breaks, heads, hashesAt, globalPosition: positionRows[0]?.position ?? '0' };
}
