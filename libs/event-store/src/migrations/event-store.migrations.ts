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
];
