import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { jsonEvent, PostgresEventStore, type Position } from '@haidang/event-store';
import { percentile } from './command-path.bench';

/** The same figures on a store of `events` events, and their ratio to an empty (small) store's. */
export interface GrowthFigures {
  readonly events: number;
  readonly generateSeconds: number;
  /** Append of one event to a new stream, one after another: p50 and p99 ms. */
  readonly appendP50Ms: number;
  readonly appendP99Ms: number;
  /** readAll of READ_COUNT events from the middle of the log. */
  readonly readAllFromMiddleEventsPerSecond: number;
  /** readStream of a 100-event stream, mean ms over STREAM_LOADS random streams. */
  readonly streamLoadMs: number;
  /** A subscription catching up the last READ_COUNT events of the log (the read side of a projection catch-up). */
  readonly catchUpEventsPerSecond: number;
  /** readStream of one stream of LONG_STREAM events, ms. */
  readonly longStreamLoadMs: number;
}

const READ_COUNT = 10_000;
const STREAM_LOADS = 200;
const APPENDS = 300;
export const LONG_STREAM = 10_000;
const STREAM_LENGTH = 100;
const GENESIS = '\\x' + '00'.repeat(32);

/**
 * Fills the store's tables server-side (INSERT … SELECT generate_series, a million rows per
 * transaction): events of 100-event streams and their stream rows, and one stream of LONG_STREAM
 * events. The rows match the store's schema; their hash column is NULL, as for events written before
 * the hash chain (the chain of each stream starts from the genesis hash at its next append).
 */
export async function generateEvents(pool: Pool, events: number): Promise<number> {
  const started = performance.now();
  const data = JSON.stringify({ form: 'VOLUNTARY_COMMUNITY', communeCode: '06793', note: 'progress reviewed with family; attending counselling' });
  const metadata = JSON.stringify({ actor: 'bench', agency: '22-DOLISA', correlationId: '0193a2b0-0000-7000-8000-000000000000' });
  const chunk = 1_000_000;
  for (let from = 0; from < events; from += chunk) {
    const to = Math.min(events, from + chunk);
    await pool.query('BEGIN');
    await pool.query(
      `INSERT INTO es_events (event_id, stream_name, stream_revision, event_type, schema_version, data, metadata)
       SELECT gen_random_uuid(), 'Growth-' || (g / ${STREAM_LENGTH}), g % ${STREAM_LENGTH}, 'ProgressNoted', 1, $1::json, $2::json
       FROM generate_series($3::bigint, $4::bigint - 1) g`,
      [data, metadata, from, to],
    );
    await pool.query(
      `INSERT INTO es_streams (stream_name, revision, last_transaction_id, last_hashes)
       SELECT 'Growth-' || s, LEAST(${STREAM_LENGTH}, $2::bigint - s * ${STREAM_LENGTH}) - 1, pg_current_xact_id(), ARRAY['${GENESIS}'::bytea]
       FROM generate_series($1::bigint / ${STREAM_LENGTH}, ($2::bigint - 1) / ${STREAM_LENGTH}) s
       ON CONFLICT (stream_name) DO UPDATE SET revision = EXCLUDED.revision`,
      [from, to],
    );
    await pool.query('COMMIT');
  }
  await pool.query('VACUUM ANALYZE es_events');
  await pool.query('VACUUM ANALYZE es_streams');
  // Written pages flushed now, not by the checkpointer in the middle of the measurements.
  await pool.query('CHECKPOINT');
  return (performance.now() - started) / 1000;
}

/** Appends one stream of LONG_STREAM events (through the store, 100 per append). */
export async function appendLongStream(store: PostgresEventStore, stream: string): Promise<void> {
  let expected: bigint | 'no_stream' = 'no_stream';
  for (let i = 0; i < LONG_STREAM; i += 100) {
    const events = Array.from({ length: 100 }, () => jsonEvent({ type: 'ProgressNoted', data: { note: 'long stream' }, metadata: { actor: 'bench' } }));
    expected = (await store.appendToStream(stream, events, { expectedRevision: expected })).nextExpectedRevision;
  }
}

/** The figures on the store as it is now (the caller has filled it, or not). */
export async function measureGrowthFigures(pool: Pool, store: PostgresEventStore, events: number, generateSeconds: number): Promise<GrowthFigures> {
  // Appends: a new stream each, one after another.
  const appendTimes: number[] = [];
  for (let i = 0; i < APPENDS; i++) {
    const started = performance.now();
    await store.appendToStream(`GrowthAppend-${uuidv7()}`, jsonEvent({ type: 'ProgressNoted', data: { n: i }, metadata: { actor: 'bench' } }), {
      expectedRevision: 'no_stream',
    });
    appendTimes.push(performance.now() - started);
  }
  appendTimes.sort((a, b) => a - b);

  const { rows: middle } = await pool.query<{ commit: string; prepare: string }>(
    `SELECT transaction_id::text AS commit, global_position::text AS prepare FROM es_events ORDER BY global_position OFFSET (SELECT count(*) / 2 FROM es_events) LIMIT 1`,
  );
  const from: Position = middle[0] ? { commit: BigInt(middle[0].commit), prepare: BigInt(middle[0].prepare) } : { commit: 0n, prepare: 0n };
  let started = performance.now();
  let read = 0;
  for await (const _event of store.readAll({ fromPosition: from, maxCount: READ_COUNT })) read++;
  const readAllFromMiddleEventsPerSecond = read / ((performance.now() - started) / 1000);

  const { rows: streams } = await pool.query<{ stream_name: string }>(
    `SELECT stream_name FROM es_streams WHERE revision = ${STREAM_LENGTH - 1} AND stream_name LIKE 'Growth-%' ORDER BY random() LIMIT ${STREAM_LOADS}`,
  );
  started = performance.now();
  for (const { stream_name } of streams) for await (const _event of store.readStream(stream_name));
  const streamLoadMs = streams.length === 0 ? Number.NaN : (performance.now() - started) / streams.length;

  // Catch-up: a subscription from READ_COUNT events before the head, until it has them all.
  const { rows: tail } = await pool.query<{ commit: string; prepare: string }>(
    `SELECT transaction_id::text AS commit, global_position::text AS prepare FROM es_events ORDER BY transaction_id DESC, global_position DESC OFFSET ${READ_COUNT} LIMIT 1`,
  );
  const tailFrom: Position = tail[0] ? { commit: BigInt(tail[0].commit), prepare: BigInt(tail[0].prepare) } : { commit: 0n, prepare: 0n };
  const subscription = store.subscribeToAll({ fromPosition: tailFrom, batchSize: 1000 });
  started = performance.now();
  let caught = 0;
  for await (const _event of subscription) if (++caught >= READ_COUNT) break;
  const catchUpEventsPerSecond = caught / ((performance.now() - started) / 1000);
  await subscription.unsubscribe();

  started = performance.now();
  let longEvents = 0;
  for await (const _event of store.readStream('Growth-Long')) longEvents++;
  const longStreamLoadMs = longEvents === 0 ? Number.NaN : performance.now() - started;

  return {
    events,
    generateSeconds,
    appendP50Ms: percentile(appendTimes, 0.5),
    appendP99Ms: percentile(appendTimes, 0.99),
    readAllFromMiddleEventsPerSecond,
    streamLoadMs,
    catchUpEventsPerSecond,
    longStreamLoadMs,
  };
}
