/**
 * SQL for one append. Each append is ONE statement (an implicit transaction): the stream row is
 * locked, checked and advanced, and the events inserted, in a single round trip. The statement
 * that locks the stream row is also the one that assigns the transaction id, and the stream row
 * records that id: an append whose transaction id is not above the stream's last one is refused
 * and retried, so within a stream xid order always equals revision order (ADR 0002).
 *
 * Parameters: $1 stream, $2 event count, [$3 expected revision: `exact` only], then 5 per event.
 */
export type AppendKind = 'any' | 'no_stream' | 'stream_exists' | 'exact';

const PARAMS_PER_EVENT = 5;

function streamStep(kind: AppendKind): string {
  switch (kind) {
    case 'any':
      return `INSERT INTO es_streams AS s (stream_name, revision, last_transaction_id)
              VALUES ($1, $2::bigint - 1, pg_current_xact_id())
              ON CONFLICT (stream_name) DO UPDATE
                SET revision = s.revision + $2::bigint, last_transaction_id = excluded.last_transaction_id
                WHERE s.last_transaction_id < excluded.last_transaction_id
              RETURNING revision`;
    case 'no_stream':
      return `INSERT INTO es_streams (stream_name, revision, last_transaction_id)
              VALUES ($1, $2::bigint - 1, pg_current_xact_id())
              ON CONFLICT (stream_name) DO NOTHING
              RETURNING revision`;
    case 'stream_exists':
      return `UPDATE es_streams
                SET revision = revision + $2::bigint, last_transaction_id = pg_current_xact_id()
              WHERE stream_name = $1 AND last_transaction_id < pg_current_xact_id()
              RETURNING revision`;
    case 'exact':
      return `UPDATE es_streams
                SET revision = revision + $2::bigint, last_transaction_id = pg_current_xact_id()
              WHERE stream_name = $1 AND revision = $3::bigint AND last_transaction_id < pg_current_xact_id()
              RETURNING revision`;
  }
}

export function appendSql(kind: AppendKind, eventCount: number): string {
  const firstEventParam = kind === 'exact' ? 4 : 3;
  const rows: string[] = [];
  for (let i = 0; i < eventCount; i++) {
    const p = firstEventParam + i * PARAMS_PER_EVENT;
    rows.push(`(${i + 1}, $${p}::uuid, $${p + 1}::text, $${p + 2}::integer, $${p + 3}::jsonb, $${p + 4}::jsonb)`);
  }
  if (eventCount === 1) {
    // The common case, without the VALUES join, sort and aggregate that several events need.
    const p = firstEventParam;
    return `WITH stream AS (${streamStep(kind)})
      INSERT INTO es_events (stream_name, stream_revision, event_id, event_type, schema_version, data, metadata)
      SELECT $1, stream.revision, $${p}::uuid, $${p + 1}::text, $${p + 2}::integer, $${p + 3}::jsonb, $${p + 4}::jsonb FROM stream
      RETURNING transaction_id::text AS commit, global_position::text AS prepare, stream_revision::text AS revision`;
  }
  // One row back, whatever the event count: the transaction, the last position and revision.
  return `WITH stream AS (${streamStep(kind)}),
    appended AS (
      INSERT INTO es_events (stream_name, stream_revision, event_id, event_type, schema_version, data, metadata)
      SELECT $1, stream.revision - $2::bigint + e.ordinal, e.event_id, e.event_type, e.schema_version, e.data, e.metadata
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
