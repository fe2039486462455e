import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { walkChains, type ChainBreak, type ChainWalk } from './chain-walk';
import { merkleRoot, type StreamHead } from './merkle';
import { signText, verifyText, type IntegritySigningKey, type IntegrityVerificationKey } from './signing-key';

export const CHECKPOINT_FORMAT = 'haidang-integrity-checkpoint/1';
/** Checkpoints that keep their heads (the leaves); older ones keep only payload and signature. */
const CHECKPOINTS_WITH_HEADS = 3;

/** What a checkpoint signs, as its exact JSON text (`payload`). */
export interface CheckpointPayload {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly service: string;
  /**
   * Which log (database) this is: several logs of one service (test databases, provinces) may
   * publish on the same subject, and a copy is compared only with the log it was made of.
   */
  readonly log: string;
  readonly sequence: number;
  readonly createdAt: string;
  /** The highest global position of the log when it was taken. */
  readonly globalPosition: string;
  readonly streams: number;
  readonly events: number;
  /** Hex Merkle root over every stream head (merkleRoot). */
  readonly merkleRoot: string;
  /** sha256 (hex) of the previous checkpoint's payload: deleting one from the middle shows. */
  readonly previous: string | null;
  readonly keyId: string;
}

/** A checkpoint as stored and as published on NATS (`integrity.<service>.checkpoint`). */
export interface SignedCheckpoint {
  readonly payload: string;
  /** Base64 Ed25519 signature over the UTF-8 payload. */
  readonly signature: string;
}

export type CheckpointOutcome =
  | { readonly created: true; readonly checkpoint: SignedCheckpoint; readonly parsed: CheckpointPayload }
  /** Nothing appended since the last checkpoint. */
  | { readonly created: false; readonly reason: 'unchanged'; readonly latest: CheckpointPayload }
  /** The log does not verify: signing it would bless the tampering. */
  | { readonly created: false; readonly reason: 'chain-broken'; readonly breaks: readonly ChainBreak[] };

export function checkpointDigest(payload: string): string {
  return createHash('sha256').update(payload, 'utf8').digest('hex');
}

export function parsePayload(payload: string): CheckpointPayload | undefined {
  try {
    const parsed = JSON.parse(payload) as CheckpointPayload;
    return parsed && parsed.format === CHECKPOINT_FORMAT && typeof parsed.sequence === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function verifyCheckpoint(key: IntegrityVerificationKey, checkpoint: SignedCheckpoint): CheckpointPayload | undefined {
  if (!verifyText(key, checkpoint.payload, Buffer.from(checkpoint.signature, 'base64'))) return undefined;
  return parsePayload(checkpoint.payload);
}

export function encodeHeads(heads: readonly StreamHead[]): string {
  return JSON.stringify(heads.map((h) => [h.streamName, h.revision.toString(), h.hash.toString('hex')]));
}

export function decodeHeads(text: string | null): StreamHead[] | undefined {
  if (text === null) return undefined;
  try {
    const rows = JSON.parse(text) as [string, string, string][];
    return rows.map(([streamName, revision, hash]) => ({ streamName, revision: BigInt(revision), hash: Buffer.from(hash, 'hex') }));
  } catch {
    return undefined;
  }
}

export interface StoredCheckpoint extends SignedCheckpoint {
  readonly sequence: number;
  readonly heads: string | null;
  readonly publishedAt: Date | null;
}

/** The identity of the database the log lives in: its cluster's system identifier and its name, hashed. */
export async function logIdentity(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ name: string }>(`SELECT current_database() AS name`);
  let system = '';
  try {
    const control = await pool.query<{ id: string }>(`SELECT system_identifier::text AS id FROM pg_control_system()`);
    system = control.rows[0]?.id ?? '';
  } catch {
    // Not every role may read pg_control_system(); the database name alone still tells test databases apart.
  }
  return createHash('sha256')
    .update(`${system}/${rows[0]?.name ?? ''}`)
    .digest('hex')
    .slice(0, 16);
}

export async function loadCheckpoints(db: Pool | PoolClient, service: string): Promise<StoredCheckpoint[]> {
  const { rows } = await db.query<{ sequence: string; payload: string; signature: Buffer; heads: string | null; published_at: Date | null }>(
    `SELECT sequence::text AS sequence, payload, signature, heads, published_at FROM integrity_checkpoints WHERE service = $1 ORDER BY sequence`,
    [service],
  );
  return rows.map((r) => ({
    sequence: Number(r.sequence),
    payload: r.payload,
    signature: r.signature.toString('base64'),
    heads: r.heads,
    publishedAt: r.published_at,
  }));
}

/**
 * Verifies every stream's chain in one snapshot and, when it holds and the log moved since the
 * last checkpoint, signs a Merkle root over the stream heads and stores it. Concurrent
 * checkpointers (replicas) race on the (service, sequence) key: the loser's is dropped.
 */
export async function createCheckpoint(
  pool: Pool,
  options: { service: string; key: IntegritySigningKey; now: Date; force?: boolean },
): Promise<CheckpointOutcome> {
  const log = await logIdentity(pool);
  const client = await pool.connect();
  let walk: ChainWalk;
  let previous: StoredCheckpoint | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const stored = await loadCheckpoints(client, options.service);
    previous = stored[stored.length - 1];
    walk = await walkChains(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  if (walk.breaks.length > 0) return { created: false, reason: 'chain-broken', breaks: walk.breaks };
  const last = previous ? parsePayload(previous.payload) : undefined;
  const root = merkleRoot(walk.heads).toString('hex');
  if (last && !options.force && last.globalPosition === walk.globalPosition && last.merkleRoot === root) {
    return { created: false, reason: 'unchanged', latest: last };
  }
  const parsed: CheckpointPayload = {
    format: CHECKPOINT_FORMAT,
    service: options.service,
    log,
    sequence: (previous?.sequence ?? 0) + 1,
    createdAt: options.now.toISOString(),
    globalPosition: walk.globalPosition,
    streams: walk.streamsChecked,
    events: walk.eventsChecked,
    merkleRoot: root,
    previous: previous ? checkpointDigest(previous.payload) : null,
    keyId: options.key.keyId,
  };
  const payload = JSON.stringify(parsed);
  const signature = signText(options.key, payload);
  await pool.query(`INSERT INTO integrity_checkpoints (service, sequence, payload, signature, heads) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
    options.service,
    parsed.sequence,
    payload,
    signature,
    encodeHeads(walk.heads),
  ]);
  await pool.query(`UPDATE integrity_checkpoints SET heads = NULL WHERE service = $1 AND sequence <= $2 AND heads IS NOT NULL`, [
    options.service,
    parsed.sequence - CHECKPOINTS_WITH_HEADS,
  ]);
  return { created: true, checkpoint: { payload, signature: signature.toString('base64') }, parsed };
}
