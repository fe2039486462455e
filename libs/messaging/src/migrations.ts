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
  {
    id: 'messaging/0002-outbox',
    sql: `
      -- Integration events a service recorded in the transaction that computed them (typically a
      -- projection's, next to its checkpoint), waiting to be published. The id is the message id
      -- (Nats-Msg-Id): a redelivered projection batch that writes the same message again inserts
      -- nothing (ON CONFLICT DO NOTHING), and JetStream drops a re-sent one.
      CREATE TABLE messaging_outbox (
        id                uuid        PRIMARY KEY,
        service           text        NOT NULL,
        subject           text        NOT NULL,
        payload           bytea       NOT NULL,
        headers           jsonb       NOT NULL DEFAULT '{}'::jsonb,
        -- Publication order: the writer's source position (the global position of the domain
        -- event it came from), then insertion order for messages of one position.
        source_commit     numeric(20) NOT NULL DEFAULT 0,
        source_prepare    numeric(20) NOT NULL DEFAULT 0,
        seq               bigint      GENERATED ALWAYS AS IDENTITY,
        created_at        timestamptz NOT NULL DEFAULT now(),
        published_at      timestamptz,
        published_stream  text,
        published_seq     bigint,
        attempts          integer     NOT NULL DEFAULT 0,
        last_error        text
      );
      CREATE INDEX messaging_outbox_pending ON messaging_outbox (service, source_commit, source_prepare, seq) WHERE published_at IS NULL;
      CREATE INDEX messaging_outbox_published ON messaging_outbox (published_at) WHERE published_at IS NOT NULL;
    `,
  },
  {
    id: 'messaging/0003-outbox-ledger',
    sql: `
      -- Every integration-event id ever written to the outbox, kept after its row is pruned, so that
      -- writing the same message again (a projection rebuilt from position 0) sends nothing twice.
      -- One uuid per integration event: small, and never holds a payload.
      CREATE TABLE messaging_outbox_ledger (
        id           uuid        PRIMARY KEY,
        service      text        NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO messaging_outbox_ledger (id, service, recorded_at)
        SELECT id, service, created_at FROM messaging_outbox
        ON CONFLICT (id) DO NOTHING;
    `,
  },
];
