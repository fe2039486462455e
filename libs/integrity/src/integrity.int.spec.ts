/**
 * Tamper evidence that holds against someone with full SQL access but without the signing key
 * (issue 10 §3): each kind of tampering is reported by verifyLog (what GET /api/v1/integrity
 * answers) and by `npm run verify` (exit code 1), and a checkpoint verifies with the public key only.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventStoreMigrations, jsonEvent, PostgresEventStore, NO_STREAM } from '@haidang/event-store';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { createCheckpoint, loadCheckpoints, verifyCheckpoint } from './checkpoint';
import { integrityMigrations } from './migrations';
import { integritySigningKeyFromEnv, parsePublicKey, publicKeyPem, signText } from './signing-key';
import { verifyLog, type IntegrityReport } from './verify-log';

jest.setTimeout(120_000);

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const SERVICE = 'cases';
const NOW = new Date('2026-12-06T01:00:00Z');
const signingPem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const key = integritySigningKeyFromEnv({ INTEGRITY_SIGNING_KEY: signingPem });
const publicOnly = parsePublicKey(publicKeyPem(key));

/** Three streams of three events, a checkpoint over them, and one more event after it. */
async function seededDatabase(): Promise<{ db: TestDatabase; streams: string[] }> {
  const db = await createTestDatabase({ migrations: [...eventStoreMigrations, ...integrityMigrations] });
  const store = new PostgresEventStore({ pool: db.pool });
  const streams = [
    'Person-0193b0c4-0000-7000-8000-000000000001',
    'Person-0193b0c4-0000-7000-8000-000000000002',
    'RehabCase-0193b0c4-0000-7000-8000-000000000003',
  ];
  for (const stream of streams) {
    await store.appendToStream(
      stream,
      [0, 1, 2].map((n) => jsonEvent({ type: 'Something', data: { n, note: `event ${n}` }, metadata: { agency: '22-COMMUNE-06793' } })),
      { expectedRevision: NO_STREAM },
    );
  }
  const outcome = await createCheckpoint(db.pool, { service: SERVICE, key, now: NOW });
  expect(outcome.created).toBe(true);
  await store.appendToStream(streams[0] as string, jsonEvent({ type: 'Something', data: { n: 3 } }), { expectedRevision: 2n });
  await store.close();
  return { db, streams };
}

const verify = (db: TestDatabase) => verifyLog(db.pool, { service: SERVICE, key: publicOnly, now: NOW });

async function verifyCommand(db: TestDatabase): Promise<{ code: number; report: IntegrityReport }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, INTEGRITY_PUBLIC_KEY: publicKeyPem(key), NATS_URL: '' };
  delete env['INTEGRITY_SIGNING_KEY'];
  try {
    const { stdout } = await run('node', ['-r', '@swc-node/register', 'tools/verify.ts', '--service', SERVICE], { cwd: ROOT, env });
    return { code: 0, report: JSON.parse(stdout) as IntegrityReport };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    if (!failed.stdout) throw new Error(`verify exited ${failed.code}: ${failed.stderr}`);
    return { code: failed.code, report: JSON.parse(failed.stdout) as IntegrityReport };
  }
}

describe('signed checkpoints against SQL tampering', () => {
  const databases: TestDatabase[] = [];
  const fresh = async () => {
    const seeded = await seededDatabase();
    databases.push(seeded.db);
    return seeded;
  };
  afterAll(async () => {
    await Promise.all(databases.map((db) => db.drop()));
  });

  it('reports an untouched log as intact, endpoint and command alike', async () => {
    const { db } = await fresh();
    const report = await verify(db);
    expect(report).toMatchObject({ intact: true, streamsChecked: 3, eventsChecked: 10, firstBreak: null, breaks: [] });
    expect(report.checkpoints).toMatchObject({ stored: 1, verified: 1, latest: { sequence: 1, streams: 3, events: 9, keyId: key.keyId } });
    const command = await verifyCommand(db);
    expect(command.code).toBe(0);
    expect(command.report.intact).toBe(true);
  });

  it('verifies a checkpoint with the public key alone, and not with another key', async () => {
    const { db } = await fresh();
    const [stored] = await loadCheckpoints(db.pool, SERVICE);
    if (!stored) throw new Error('no checkpoint stored');
    expect(verifyCheckpoint(publicOnly, stored)).toMatchObject({ service: SERVICE, sequence: 1, streams: 3 });
    const stranger = parsePublicKey(generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString());
    expect(verifyCheckpoint(stranger, stored)).toBeUndefined();
    expect(verifyCheckpoint(publicOnly, { ...stored, payload: stored.payload.replace('"streams":3', '"streams":2') })).toBeUndefined();
  });

  // Each tampering is done the way someone with SQL access and no key would, then must show in both.
  const cases: ReadonlyArray<[string, (db: TestDatabase, streams: string[]) => Promise<void>, Partial<IntegrityReport['breaks'][number]>]> = [
    [
      'UPDATE of a payload',
      async (db, [s]) =>
        void (await db.pool.query(`UPDATE es_events SET data = '{"n":1,"note":"changed"}' WHERE stream_name = $1 AND stream_revision = 1`, [s])),
      { reason: 'hash-mismatch', revision: '1' },
    ],
    [
      'UPDATE of a payload with the whole stream re-chained (plain SHA-256, no key needed)',
      async (db, [, s]) => {
        await db.pool.query(`UPDATE es_events SET data = '{"n":0,"note":"forged"}' WHERE stream_name = $1 AND stream_revision = 0`, [s]);
        await rechain(db, s as string);
      },
      { reason: 'rewritten', revision: '2' },
    ],
    [
      'DELETE of an event',
      async (db, [s]) => void (await db.pool.query(`DELETE FROM es_events WHERE stream_name = $1 AND stream_revision = 1`, [s])),
      { reason: 'revision-gap' },
    ],
    [
      'DELETE of the last events with the stream row and chain made to agree',
      async (db, [, , s]) => {
        await db.pool.query(`DELETE FROM es_events WHERE stream_name = $1 AND stream_revision = 2`, [s]);
        await rechain(db, s as string);
      },
      { reason: 'events-deleted', revision: '2' },
    ],
    [
      'DELETE of a whole stream',
      async (db, [, s]) => {
        await db.pool.query(`DELETE FROM es_events WHERE stream_name = $1`, [s]);
        await db.pool.query(`DELETE FROM es_streams WHERE stream_name = $1`, [s]);
      },
      { reason: 'stream-deleted' },
    ],
    [
      'INSERT of an event without a chain link',
      async (db, [s]) =>
        void (await db.pool.query(
          `INSERT INTO es_events (event_id, stream_name, stream_revision, event_type, schema_version, data, metadata)
           VALUES (gen_random_uuid(), $1, 4, 'Something', 1, '{"n":4}', '{}')`,
          [s],
        )),
      { reason: 'unchained', revision: '4' },
    ],
    [
      'UPDATE setting a hash to NULL (un-chaining)',
      async (db, [s]) => void (await db.pool.query(`UPDATE es_events SET hash = NULL WHERE stream_name = $1 AND stream_revision = 0`, [s])),
      { reason: 'unchained', revision: '0' },
    ],
    [
      'a re-chained stream with its checkpoint re-signed with another key',
      async (db, [, s]) => {
        await db.pool.query(`UPDATE es_events SET data = '{"n":1,"note":"forged"}' WHERE stream_name = $1 AND stream_revision = 1`, [s]);
        await rechain(db, s as string);
        const forger = integritySigningKeyFromEnv({
          INTEGRITY_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        });
        await db.pool.query(`DELETE FROM integrity_checkpoints`);
        const forged = await createCheckpoint(db.pool, { service: SERVICE, key: forger, now: NOW });
        expect(forged.created).toBe(true);
        // Made to look like the service's own: the key id copied into the payload changes nothing.
        const [row] = await loadCheckpoints(db.pool, SERVICE);
        const payload = (row?.payload ?? '').replace(forger.keyId, key.keyId);
        await db.pool.query(`UPDATE integrity_checkpoints SET payload = $1, signature = $2`, [payload, signText(forger, payload)]);
      },
      { reason: 'checkpoint-signature', checkpoint: 1 },
    ],
    ['DELETE of every checkpoint', async (db) => void (await db.pool.query(`DELETE FROM integrity_checkpoints`)), { reason: 'no-checkpoint' }],
  ];

  it.each(cases)('finds %s, endpoint and command alike', async (_what, tamper, expected) => {
    const { db, streams } = await fresh();
    await tamper(db, streams);
    const report = await verify(db);
    expect(report.intact).toBe(false);
    expect(report.breaks).toEqual(expect.arrayContaining([expect.objectContaining(expected)]));
    expect(report.firstBreak).not.toBeNull();
    const command = await verifyCommand(db);
    expect(command.code).toBe(1);
    expect(command.report.breaks).toEqual(expect.arrayContaining([expect.objectContaining(expected)]));
  });

  it('refuses to sign a checkpoint over a log that does not verify', async () => {
    const { db, streams } = await fresh();
    await db.pool.query(`UPDATE es_events SET hash = NULL WHERE stream_name = $1 AND stream_revision = 3`, [streams[0]]);
    const outcome = await createCheckpoint(db.pool, { service: SERVICE, key, now: NOW });
    expect(outcome).toMatchObject({ created: false, reason: 'chain-broken' });
    expect(await loadCheckpoints(db.pool, SERVICE)).toHaveLength(1);
  });

  it('chains checkpoints: one deleted from the middle shows, and a later one covers the new events', async () => {
    const { db } = await fresh();
    expect((await createCheckpoint(db.pool, { service: SERVICE, key, now: NOW })).created).toBe(true);
    expect(await createCheckpoint(db.pool, { service: SERVICE, key, now: NOW })).toMatchObject({ created: false, reason: 'unchanged' });
    expect((await createCheckpoint(db.pool, { service: SERVICE, key, now: NOW, force: true })).created).toBe(true);
    const intact = await verify(db);
    expect(intact).toMatchObject({ intact: true, checkpoints: { stored: 3, verified: 3, latest: { sequence: 3, events: 10 } } });
    await db.pool.query(`DELETE FROM integrity_checkpoints WHERE sequence = 2`);
    expect((await verify(db)).breaks).toEqual([expect.objectContaining({ reason: 'checkpoint-missing', checkpoint: 2 })]);
  });
});

/** What an attacker with SQL access does: recompute the stream's chain and its head, with no key. */
async function rechain(db: TestDatabase, stream: string): Promise<void> {
  await db.pool.query(
    `DO $$
     DECLARE r record; previous bytea := '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
     BEGIN
       FOR r IN SELECT global_position, event_id, stream_name, event_type, schema_version, data::text AS data, metadata::text AS metadata, recorded_at
                  FROM es_events WHERE stream_name = '${stream}' ORDER BY stream_revision LOOP
         previous := sha256(previous || sha256(convert_to(r.event_id::text || chr(31) || r.stream_name || chr(31) || r.event_type || chr(31) || r.schema_version::text || chr(31) || r.data || chr(31) || r.metadata, 'UTF8')) || timestamptz_send(r.recorded_at));
         UPDATE es_events SET hash = previous WHERE global_position = r.global_position;
       END LOOP;
       UPDATE es_streams SET last_hashes = ARRAY[previous], revision = (SELECT max(stream_revision) FROM es_events WHERE stream_name = '${stream}') WHERE stream_name = '${stream}';
     END $$`,
  );
}
