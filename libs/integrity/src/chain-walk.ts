import type { Pool, PoolClient } from 'pg';
import { CHAIN_COLUMNS, StreamChain, type ChainBreakReason, type ChainFinding, type StoredChainRow } from '@haidang/event-store';
import type { StreamHead } from './merkle';

/** Why a place in the log does not hold (the event store's chain check decides). */
export type { ChainBreakReason };

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

const PAGE = 2000;

/**
 * Recomputes every stream's hash chain (ADR 0007) inside the caller's REPEATABLE READ snapshot,
 * strictly: an event without a hash is a break. The check of each event is the event store's
 * `StreamChain` (the same one its verified reads use); this walks the whole log with it.
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
  const report = (found: ChainFinding | null | undefined): void => {
    if (found) breaks.push({ reason: found.reason, streamName: found.streamName, revision: String(found.revision) });
  };
  let current: StreamChain | undefined;
  const finishStream = (): void => {
    if (!current) return;
    const head = recorded.get(current.streamName);
    recorded.delete(current.streamName);
    report(current.end(head));
    heads.push({ streamName: current.streamName, revision: current.expectedRevision - 1n, hash: current.lastHash });
  };

  let after: [string, string] = ['', '-1'];
  for (;;) {
    const { rows } = await client.query<StoredChainRow>(
      `SELECT ${CHAIN_COLUMNS}
         FROM es_events
        WHERE (stream_name, stream_revision) > ($1, $2::bigint)
        ORDER BY stream_name, stream_revision
        LIMIT ${PAGE}`,
      after,
    );
    for (const row of rows) {
      if (current?.streamName !== row.stream_name) {
        finishStream();
        current = new StreamChain(row.stream_name);
        streamsChecked++;
      }
      eventsChecked++;
      const revision = BigInt(row.revision);
      if (wanted.get(row.stream_name) === revision) hashesAt.set(row.stream_name, { revision, hash: row.hash });
      for (const found of current.next(row)) report(found);
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

/** The chains alone, in one REPEATABLE READ snapshot of its own (no checkpoints): what `verifyLog` checks first. */
export async function verifyChains(pool: Pool): Promise<{ streamsChecked: number; eventsChecked: number; breaks: readonly ChainBreak[] }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { streamsChecked, eventsChecked, breaks } = await walkChains(client);
    await client.query('COMMIT');
    return { streamsChecked, eventsChecked, breaks };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
