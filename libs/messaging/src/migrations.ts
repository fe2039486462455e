import type { Migration } from '@haidang/event-store';

/** Apply after `eventStoreMigrations`, in the database of the service whose store the relay follows. */
export const messagingMigrations: readonly Migration[] = [
  {
    id: 'messaging/0001-relay-checkpoints-and-dead-letters',
    sql: `
      -- Where a relay stands: the last event whose publish JetStream acknowledged, and the stream
      -- sequence that ack carried. The sequence is how a relay notices, on (re)connect, that the
      -- broker lost acknowledged messages (nats-server 2.9 acks before fsync).
      CREATE TABLE messaging_relay_checkpoints (
        relay_id          text        PRIMARY KEY,
        position_commit   xid8        NOT NULL,
        position_prepare  bigint      NOT NULL,
        last_event_id     uuid,
        target_stream     text        NOT NULL,
        stream_sequence   bigint      NOT NULL,
        updated_at        timestamptz NOT NULL DEFAULT now()
      );

      -- Messages a consumer gave up on after its last delivery attempt: kept, never dropped, so
      -- they can be inspected and replayed. One row per consumer and stream message.
      CREATE TABLE messaging_dead_letters (
        id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        consumer          text        NOT NULL,
        stream            text        NOT NULL,
        stream_sequence   bigint      NOT NULL,
        subject           text        NOT NULL,
        msg_id            text,
        headers           jsonb       NOT NULL,
        payload           bytea       NOT NULL,
        error             text        NOT NULL,
        attempts          integer     NOT NULL,
        dead_lettered_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT messaging_dead_letters_once UNIQUE (consumer, stream, stream_sequence)
      );
      CREATE INDEX messaging_dead_letters_by_time ON messaging_dead_letters (dead_lettered_at);
    `,
  },
];
