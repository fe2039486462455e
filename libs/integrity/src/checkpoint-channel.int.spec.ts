/**
 * The copy outside the database (issue 10 §3): checkpoints are published on JetStream
 * (`<prefix>.<service>.checkpoint`), and a checkpoint deleted from the database — which the stored
 * ones alone cannot show once the latest is gone — is reported against the published copy.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { eventStoreMigrations, jsonEvent, NO_STREAM, PostgresEventStore } from '@haidang/event-store';
import { createTestDatabase, resolveTestNatsUrl, type TestDatabase } from '@haidang/testing';
import { CheckpointChannel, checkpointSubject } from './checkpoint-channel';
import { IntegrityService } from './integrity-service';
import { integrityMigrations } from './migrations';
import { integritySigningKeyFromEnv } from './signing-key';

jest.setTimeout(60_000);

describe('checkpoints published on NATS', () => {
  const suffix = randomBytes(4).toString('hex');
  const stream = `INTEGRITY_T_${suffix}`;
  const subjectPrefix = `t${suffix}.integrity`;
  let natsUrl: string;
  let db: TestDatabase;
  let channel: CheckpointChannel;
  const warnings: string[] = [];

  beforeAll(async () => {
    natsUrl = await resolveTestNatsUrl();
    db = await createTestDatabase({ migrations: [...eventStoreMigrations, ...integrityMigrations] });
    channel = new CheckpointChannel({ servers: natsUrl, stream, subjectPrefix });
  });
  afterAll(async () => {
    await channel?.close();
    const connection = await connect({ servers: natsUrl });
    await (await jetstreamManager(connection)).streams.delete(stream).catch(() => undefined);
    await connection.close();
    await db?.drop();
  });

  it('publishes each checkpoint once and finds a stored one deleted against the published copy', async () => {
    const service = new IntegrityService({
      service: 'cases',
      pool: db.pool,
      key: integritySigningKeyFromEnv({}),
      clock: () => new Date('2026-12-06T01:00:00Z'),
      log: { warn: (message) => void warnings.push(message) },
      channel,
    });
    const store = new PostgresEventStore({ pool: db.pool });
    await store.appendToStream('Person-0193b0c4-0000-7000-8000-000000000001', jsonEvent({ type: 'Something', data: { n: 0 } }), {
      expectedRevision: NO_STREAM,
    });
    expect((await service.checkpoint()).created).toBe(true);
    await store.appendToStream('Person-0193b0c4-0000-7000-8000-000000000001', jsonEvent({ type: 'Something', data: { n: 1 } }), { expectedRevision: 0n });
    await store.close();
    const second = await service.checkpoint();
    expect(second.created).toBe(true);

    const latest = await channel.latest('cases');
    expect(second.created && latest).toEqual(second.created ? second.checkpoint : undefined);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM integrity_checkpoints WHERE published_at IS NOT NULL`)).rows[0]).toEqual({ n: 2 });
    // Re-sending is de-duplicated: the stream holds each checkpoint once.
    await db.pool.query(`UPDATE integrity_checkpoints SET published_at = NULL`);
    expect(await service.publishPending()).toBe(2);
    const connection = await connect({ servers: natsUrl });
    const info = await (await jetstreamManager(connection)).streams.info(stream);
    await connection.close();
    expect(info.state.messages).toBe(2);
    expect(info.config.subjects).toEqual([`${subjectPrefix}.>`]);
    expect(checkpointSubject('cases', subjectPrefix)).toBe(`${subjectPrefix}.cases.checkpoint`);

    expect(await service.verify()).toMatchObject({ intact: true, checkpoints: { stored: 2, verified: 2, published: { checked: 1, matched: 1 } } });
    await db.pool.query(`DELETE FROM integrity_checkpoints WHERE sequence = 2`);
    const report = await service.verify();
    expect(report).toMatchObject({ intact: false, breaks: [{ reason: 'checkpoint-missing', checkpoint: 2 }] });
    expect(warnings).toContain('integrity: the log does not verify');
  });
});
