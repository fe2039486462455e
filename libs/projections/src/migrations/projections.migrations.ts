import type { Migration } from '@haidang/event-store';

/**
 * The runtime's own tables. The read-model tables are not here: each projection version creates
 * its schema (`proj_<name>_v<N>`) when it first runs (projection-schema.ts).
 */
export const projectionsMigrations: readonly Migration[] = [
  {
    id: 'projections/0001-checkpoints-versions-dead-letters',
    sql: `
      -- One row per projection version ('caseload.v1'): the last global position applied. Written in
      -- the same transaction as the read-model change, so the two never disagree. The row exists
      -- from the moment the version's schema does (both made in one transaction), from (0, 0).
      CREATE TABLE projection_checkpoints (
        projection  text        PRIMARY KEY,
        commit      xid8        NOT NULL,
        prepare     bigint      NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now()
      );

      -- Which version of each projection readers use. Switched in one transaction by a rebuild.
      CREATE TABLE projection_versions (
        name              text        PRIMARY KEY,
        active_version    integer     NOT NULL CHECK (active_version > 0),
        previous_version  integer,
        switched_at       timestamptz NOT NULL DEFAULT now()
      );

      -- Events a handler kept failing on, written in the transaction that moves the checkpoint past
      -- them: the projection goes on and nothing is dropped silently. Replay one by fixing the
      -- handler and rebuilding (or by hand), then mark it resolved.
      CREATE TABLE projection_dead_letters (
        id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        projection   text        NOT NULL,
        event_id     uuid        NOT NULL,
        commit       xid8        NOT NULL,
        prepare      bigint      NOT NULL,
        stream_id    text        NOT NULL,
        event_type   text        NOT NULL,
        error        text        NOT NULL,
        attempts     integer     NOT NULL,
        failed_at    timestamptz NOT NULL DEFAULT now(),
        resolved_at  timestamptz,
        CONSTRAINT projection_dead_letters_event_unique UNIQUE (projection, event_id)
      );
    `,
  },
];
