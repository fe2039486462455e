/**
 * SQL for one append. Each append is ONE statement (an implicit transaction): the stream row is
 * locked, checked and advanced, and the events inserted, in a single round trip. The statement
 * that locks the stream row is also the one that assigns the transaction id, and the stream row
 * records that id: an append whose transaction id is not above the stream's last one is refused
 * and retried, so within a stream xid order always equals revision order (ADR 0002).
 *
 * The same step extends the stream's hash chain (ADR 0007): the stream row holds the hashes of its
 * last append; the new ones are chained from the last of them over each event's content hash
 * (computed by the caller) and the recorded time, and each event row stores its own.
 *
 * Parameters: $1 stream, $2 event count, [$3 expected revision: `exact` only], then 6 per event
 * (id, type, schema version, data, metadata, content hash).
 */
export type AppendKind = 'any' | 'no_stream' | 'stream_exists' | 'exact';

const PARAMS_PER_EVENT = 6;
const GENESIS_HASH = `'\\x${'00'.repeat(32)}'::bytea`;

/** The new hashes: one sha256 inline for a single event, the `es_chain` loop for several. */
function chainFrom(previous: string, eventCount: number, firstEventParam: number): string {
  const content = (i: number): string => `$${firstEventParam + i * PARAMS_PER_EVENT + 5}::bytea`;
  if (eventCount === 1) return `ARRAY[sha256(${previous} || ${content(0)} || timestamptz_send(now()))]`;
  return `es_chain(${previous}, ARRAY[${Array.from({ length: eventCount }, (_, i) => content(i)).join(', ')}], now())`;
}

function streamStep(kind: AppendKind, eventCount: number, firstEventParam: number): string {
  const chain = (previous: string): string => chainFrom(previous, eventCount, firstEventParam);
  const lastHash = (table: string): string => `${table}.last_hashes[array_upper(${table}.last_hashes, 1)]`;
  switch (kind) {
    case 'any':
      return `INSERT INTO es_streams AS s (stream_name, revision, last_transaction_id, last_hashes)
              VALUES ($1, $2::bigint - 1, pg_current_xact_id(), ${chain(GENESIS_HASH)})
              ON CONFLICT (stream_name) DO UPDATE
                SET revision = s.revision + $2::bigint, last_transaction_id = excluded.last_transaction_id,
                    last_hashes = ${chain(lastHash('s'))}
                WHERE s.last_transaction_id < excluded.last_transaction_id
              RETURNING revision, last_hashes`;
    case 'no_stream':
      return `INSERT INTO es_streams (stream_name, revision, last_transaction_id, last_hashes)
              VALUES ($1, $2::bigint - 1, pg_current_xact_id(), ${chain(GENESIS_HASH)})
              ON CONFLICT (stream_name) DO NOTHING
              RETURNING revision, last_hashes`;
    case 'stream_exists':
      return `UPDATE es_streams
                SET revision = revision + $2::bigint, last_transaction_id = pg_current_xact_id(),
                    last_hashes = ${chain(lastHash('es_streams'))}
              WHERE stream_name = $1 AND last_transaction_id < pg_current_xact_id()
              RETURNING revision, last_hashes`;
    case 'exact':
      return `UPDATE es_streams
                SET revision = revision + $2::bigint, last_transaction_id = pg_current_xact_id(),
                    last_hashes = ${chain(lastHash('es_streams'))}
              WHERE stream_name = $1 AND revision = $3::bigint AND last_transaction_id < pg_current_xact_id()
              RETURNING revision, last_hashes`;
  }
}

const texts = new Map<string, string>();
/** Larger appends are rare: their text is built each time rather than kept. */
const MAX_CACHED_EVENT_COUNT = 64;

/**
 * The statement text, built once per (kind, count): node-postgres compares the text of a named
 * statement with the one it prepared on every call, and the same string object makes that free.
 */
export function appendSql(kind: AppendKind, eventCount: number): string {
  if (eventCount > MAX_CACHED_EVENT_COUNT) return buildAppendSql(kind, eventCount);
  const key = appendStatementName(kind, eventCount);
  let text = texts.get(key);
  if (text === undefined) {
    text = buildAppendSql(kind, eventCount);
    texts.set(key, text);
  }
  return text;
}

function buildAppendSql(kind: AppendKind, eventCount: number): string {
  const firstEventParam = kind === 'exact' ? 4 : 3;
  if (eventCount === 1) {
    // The common case, without the VALUES join, sort and aggregate that several events need.
    const p = firstEventParam;
    return `WITH stream AS (${streamStep(kind, 1, p)})
      INSERT INTO es_events (stream_name, stream_revision, event_id, event_type, schema_version, data, metadata, recorded_at, hash)
      SELECT $1, stream.revision, $${p}::uuid, $${p + 1}::text, $${p + 2}::integer, $${p + 3}::json, $${p + 4}::json, now(), stream.last_hashes[1]
      FROM stream
      RETURNING transaction_id::text AS commit, global_position::text AS prepare, stream_revision::text AS revision`;
  }
  const rows: string[] = [];
  for (let i = 0; i < eventCount; i++) {
    const p = firstEventParam + i * PARAMS_PER_EVENT;
    rows.push(`(${i + 1}, $${p}::uuid, $${p + 1}::text, $${p + 2}::integer, $${p + 3}::json, $${p + 4}::json)`);
  }
  // One row back, whatever the event count: the transaction, the last position and revision.
  return `WITH stream AS (${streamStep(kind, eventCount, firstEventParam)}),
    appended AS (
      INSERT INTO es_events (stream_name, stream_revision, event_id, event_type, schema_version, data, metadata, recorded_at, hash)
      SELECT $1, stream.revision - $2::bigint + e.ordinal, e.event_id, e.event_type, e.schema_version, e.data, e.metadata, now(),
             stream.last_hashes[e.ordinal]
      FROM stream CROSS JOIN (VALUES ${rows.join(', ')}) AS e(ordinal, event_id, event_type, schema_version, data, metadata)
      ORDER BY e.ordinal
      RETURNING transaction_id, global_position, stream_revision)
    SELECT transaction_id::text AS commit, max(global_position)::text AS prepare, max(stream_revision)::text AS revision
    FROM appended GROUP BY transaction_id`;
}

/** Prepared-statement names are per connection; one per (kind, count) keeps plans cached. */
export function appendStatementName(kind: AppendKind, eventCount: number): string {
  return `es_append_${kind}_${eventCount}`;
}
