import type { Migration } from '@haidang/sql-migrations';

export const eventStoreMigrations: readonly Migration[] = [
  {
    id: 'event-store/0001-create-log',
    sql: `
      -- One row per stream: its last revision and the transaction that wrote it. Appends lock this
      -- row in the statement that assigns their transaction id, which keeps the xid order of a
      -- stream's events equal to their revision order (ADR 0002).
      CREATE TABLE es_streams (
        stream_name          text   PRIMARY KEY,
        revision             bigint NOT NULL,
        last_transaction_id  xid8   NOT NULL
      );

      CREATE TABLE es_events (
        global_position  bigint      GENERATED ALWAYS AS IDENTITY,
        transaction_id   xid8        NOT NULL DEFAULT pg_current_xact_id(),
        event_id         uuid        NOT NULL,
        stream_name      text        NOT NULL,
        stream_revision  bigint      NOT NULL,
        event_type       text        NOT NULL,
        schema_version   integer     NOT NULL,
        data             jsonb       NOT NULL,
        metadata         jsonb       NOT NULL,
        recorded_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (global_position),
        CONSTRAINT es_events_event_id_unique UNIQUE (event_id),
        CONSTRAINT es_events_stream_revision_unique UNIQUE (stream_name, stream_revision)
      );
      -- The global log's order: readers page through it by (transaction_id, global_position).
      CREATE INDEX es_events_log_order ON es_events (transaction_id, global_position);

      -- Idempotency keys, scoped by agency, kept for the life of the store.
      CREATE TABLE es_idempotency_keys (
        scope         text        NOT NULL,
        key           text        NOT NULL,
        request_hash  text        NOT NULL,
        result        jsonb       NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      );
    `,
  },
  {
    id: 'event-store/0002-hash-chain',
    sql: `
      -- Tamper evidence (ADR 0007): each event's hash is sha256(previous hash in its stream ||
      -- content hash || recorded time). The content hash is computed by the application over the
      -- event's stored bytes (id, stream, type, version, and the data and metadata JSON exactly as
      -- stored -- ciphertext included, so crypto-shredding keeps the chain valid); the chaining
      -- happens here, under the stream's row lock, so concurrent appends can never fork a chain.
      --
      -- Data and metadata become json (the text as written) rather than jsonb (re-serialised):
      -- the hashed bytes are then the stored bytes, appends skip jsonb's conversion and reads its
      -- re-printing. The log is never queried inside its JSON; read models are.
      ALTER TABLE es_events ALTER COLUMN data TYPE json USING data::json,
                            ALTER COLUMN metadata TYPE json USING metadata::json;

      CREATE FUNCTION es_chain(previous bytea, contents bytea[], recorded_at timestamptz) RETURNS bytea[]
        LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE
        hashes bytea[] := '{}';
        content bytea;
        chain_hash bytea := previous;
        time_bytes bytea := timestamptz_send(recorded_at); -- 8 bytes, microseconds since 2000-01-01 UTC
      BEGIN
        FOREACH content IN ARRAY contents LOOP
          chain_hash := sha256(chain_hash || content || time_bytes);
          hashes := hashes || chain_hash;
        END LOOP;
        RETURN hashes;
      END $$;

      -- The hashes of the stream's last append; its last element is the head of the chain. Streams
      -- written before this migration start their chain from the genesis hash at their next event;
      -- their earlier events keep a NULL hash and verification lists them as unchained.
      ALTER TABLE es_streams ADD COLUMN last_hashes bytea[] NOT NULL
        DEFAULT ARRAY['\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea];
      ALTER TABLE es_streams ALTER COLUMN last_hashes DROP DEFAULT;
      ALTER TABLE es_events ADD COLUMN hash bytea;
    `,
  },
];
