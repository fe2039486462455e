import type { Migration } from '@haidang/event-store';

export const integrityMigrations: readonly Migration[] = [
  {
    id: 'integrity/0001-signed-checkpoints',
    sql: `
      -- Signed checkpoints (ADR 0011): a Merkle root over every stream head of the log, signed
      -- with the service's Ed25519 key. payload is the exact signed text; heads lists the
      -- (stream, revision, hash) leaves so that a verifier can rebuild the root. Older
      -- checkpoints keep payload and signature (the chain of checkpoints) and drop their heads.
      CREATE TABLE integrity_checkpoints (
        service       text        NOT NULL,
        sequence      bigint      NOT NULL,
        payload       text        NOT NULL,
        signature     bytea       NOT NULL,
        heads         text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        published_at  timestamptz,
        PRIMARY KEY (service, sequence)
      );
    `,
  },
];
