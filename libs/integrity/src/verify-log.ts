import type { Pool } from 'pg';
import { walkChains, type ChainBreakReason, type ChainWalk } from './chain-walk';
import {
  checkpointDigest,
  decodeHeads,
  logIdentity,
  loadCheckpoints,
  parsePayload,
  verifyCheckpoint,
  type CheckpointPayload,
  type SignedCheckpoint,
  type StoredCheckpoint,
} from './checkpoint';
import { merkleRoot, type StreamHead } from './merkle';
import type { IntegrityVerificationKey } from './signing-key';

export type IntegrityBreakReason =
  | ChainBreakReason
  /** A stream the latest signed checkpoint covers is gone. */
  | 'stream-deleted'
  /** A stream is shorter than the latest signed checkpoint says. */
  | 'events-deleted'
  /** A stream's event at a checkpointed revision has another hash: rewritten and re-chained. */
  | 'rewritten'
  /** A stored checkpoint whose signature does not verify with the service's public key (forged or re-signed). */
  | 'checkpoint-signature'
  /** A checkpoint is missing from the sequence, or a published one is not stored. */
  | 'checkpoint-missing'
  /** A stored checkpoint disagrees with its own signed payload or with the published copy. */
  | 'checkpoint-mismatch'
  /** The latest signed checkpoint's heads are missing or do not give its signed Merkle root. */
  | 'checkpoint-heads'
  /** The log holds events but no signed checkpoint at all. */
  | 'no-checkpoint';

export interface IntegrityFinding {
  readonly reason: IntegrityBreakReason;
  readonly streamName?: string;
  /** The stream revision (position in the stream) where it does not hold. */
  readonly revision?: string;
  readonly checkpoint?: number;
}

export interface CheckpointSummary {
  readonly sequence: number;
  readonly createdAt: string;
  readonly globalPosition: string;
  readonly streams: number;
  readonly events: number;
  readonly keyId: string;
}

export interface IntegrityReport {
  readonly service: string;
  readonly checkedAt: string;
  /** True when nothing was found: every chain holds and matches the latest signed checkpoint. */
  readonly intact: boolean;
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  readonly globalPosition: string;
  readonly firstBreak: IntegrityFinding | null;
  readonly breakCount: number;
  /** The first `maxBreaks` findings. */
  readonly breaks: readonly IntegrityFinding[];
  readonly truncated: boolean;
  readonly checkpoints: {
    readonly stored: number;
    /** Stored checkpoints whose signature verifies with the public key. */
    readonly verified: number;
    /** The latest verified checkpoint, the one the chains were compared with. */
    readonly latest: CheckpointSummary | null;
    /** Copies published on NATS that were compared with the stored ones (null: none available). */
    readonly published: { readonly checked: number; readonly matched: number } | null;
  };
  readonly keyId: string;
}

export interface VerifyLogOptions {
  readonly service: string;
  readonly key: IntegrityVerificationKey;
  readonly now: Date;
  /** Copies of checkpoints from outside the database (NATS), to catch deleted or replaced ones. */
  readonly published?: readonly SignedCheckpoint[];
  readonly maxBreaks?: number;
}

/**
 * Verifies the log against its signed checkpoints, in one REPEATABLE READ snapshot: every chain
 * (ADR 0007, strictly), every stored checkpoint's signature and sequence, the latest one's heads
 * against its signed root and against the chains, and the published copies against the stored ones.
 */
export async function verifyLog(pool: Pool, options: VerifyLogOptions): Promise<IntegrityReport> {
  const log = await logIdentity(pool);
  const client = await pool.connect();
  let stored: StoredCheckpoint[];
  let walk: ChainWalk;
  let trusted: { checkpoint: StoredCheckpoint; payload: CheckpointPayload; heads: StreamHead[] | undefined } | undefined;
  const findings: IntegrityFinding[] = [];
  const checkpointFindings: IntegrityFinding[] = [];
  let verified = 0;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    stored = await loadCheckpoints(client, options.service);
    let previousValid: StoredCheckpoint | undefined;
    let expectedSequence = 1;
    for (const checkpoint of stored) {
      const payload = verifyCheckpoint(options.key, checkpoint);
      if (!payload) {
        checkpointFindings.push({ reason: 'checkpoint-signature', checkpoint: checkpoint.sequence });
        continue;
      }
      verified++;
      if (payload.sequence !== checkpoint.sequence || payload.service !== options.service || payload.log !== log) {
        checkpointFindings.push({ reason: 'checkpoint-mismatch', checkpoint: checkpoint.sequence });
        continue;
      }
      if (checkpoint.sequence !== expectedSequence || payload.previous !== (previousValid ? checkpointDigest(previousValid.payload) : null)) {
        checkpointFindings.push({ reason: 'checkpoint-missing', checkpoint: expectedSequence });
      }
      expectedSequence = checkpoint.sequence + 1;
      previousValid = checkpoint;
      trusted = { checkpoint, payload, heads: decodeHeads(checkpoint.heads) };
    }
    const wanted = new Map((trusted?.heads ?? []).map((h) => [h.streamName, h.revision] as const));
    walk = await walkChains(client, wanted);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }

  findings.push(...walk.breaks);
  if (trusted) {
    const { heads, payload } = trusted;
    if (!heads || merkleRoot(heads).toString('hex') !== payload.merkleRoot) {
      checkpointFindings.push({ reason: 'checkpoint-heads', checkpoint: payload.sequence });
    } else {
      const present = new Set(walk.heads.map((h) => h.streamName));
      for (const head of heads) {
        const at = walk.hashesAt.get(head.streamName);
        const revision = head.revision.toString();
        if (!present.has(head.streamName)) findings.push({ reason: 'stream-deleted', streamName: head.streamName, revision });
        else if (!at) findings.push({ reason: 'events-deleted', streamName: head.streamName, revision });
        else if (!at.hash || !at.hash.equals(head.hash)) findings.push({ reason: 'rewritten', streamName: head.streamName, revision });
      }
    }
  } else if (walk.eventsChecked > 0) {
    checkpointFindings.push({ reason: 'no-checkpoint' });
  }

  let published: IntegrityReport['checkpoints']['published'] = null;
  if (options.published && options.published.length > 0) {
    let matched = 0;
    for (const copy of options.published) {
      const payload = verifyCheckpoint(options.key, copy);
      // A copy that does not verify was not made by the service, or of another of its logs: nothing to compare.
      if (!payload || payload.service !== options.service || payload.log !== log) continue;
      const same = stored.find((s) => s.sequence === payload.sequence);
      if (!same) checkpointFindings.push({ reason: 'checkpoint-missing', checkpoint: payload.sequence });
      else if (same.payload !== copy.payload) checkpointFindings.push({ reason: 'checkpoint-mismatch', checkpoint: payload.sequence });
      else matched++;
    }
    published = { checked: options.published.length, matched };
  }

  findings.push(...checkpointFindings);
  const maxBreaks = options.maxBreaks ?? 100;
  const latest = trusted?.payload;
  return {
    service: options.service,
    checkedAt: options.now.toISOString(),
    intact: findings.length === 0,
    streamsChecked: walk.streamsChecked,
    eventsChecked: walk.eventsChecked,
    globalPosition: walk.globalPosition,
    firstBreak: findings[0] ?? null,
    breakCount: findings.length,
    breaks: findings.slice(0, maxBreaks),
    truncated: findings.length > maxBreaks,
    checkpoints: {
      stored: stored.length,
      verified,
      latest: latest ? summaryOf(latest) : null,
      published,
    },
    keyId: options.key.keyId,
  };
}

export function summaryOf(payload: CheckpointPayload): CheckpointSummary {
  return {
    sequence: payload.sequence,
    createdAt: payload.createdAt,
    globalPosition: payload.globalPosition,
    streams: payload.streams,
    events: payload.events,
    keyId: payload.keyId,
  };
}

export { parsePayload };
