import * as crypto from 'node:crypto';
import { contentHashOf } from './event-data';

/**
 * The hash chain of a stream (ADR 0007), checked without I/O: the one check under every reader
 * that verifies (a verified `readStream`, the aggregate store's loads, libs/integrity's walk of
 * the whole log). Each event's hash is sha256(previous hash ‖ content hash ‖ recorded time); the
 * first event of a stream chains from 32 zero bytes.
 */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** Why a place in a stream does not hold. */
export type ChainBreakReason =
  /** The event's bytes or its stored hash changed after it was written. */
  | 'hash-mismatch'
  /** An event has no hash: inserted or un-chained by SQL (a missing hash is a break, never a count). */
  | 'unchained'
  /** A revision is missing: an event deleted, or its revision changed. */
  | 'revision-gap'
  /** The stream row's head does not match its last event (events deleted or added at the end, or the row rewritten). */
  | 'head-mismatch';

export interface ChainFinding {
  readonly reason: ChainBreakReason;
  readonly streamName: string;
  readonly revision: bigint;
}

/**
 * An event as stored, the way every verifying query selects it (`CHAIN_COLUMNS`): data and
 * metadata as the exact stored JSON text, the recorded time as its 8 wire bytes.
 */
export interface StoredChainRow {
  readonly event_id: string;
  readonly stream_name: string;
  readonly revision: string;
  readonly event_type: string;
  readonly schema_version: number;
  readonly data: string;
  readonly metadata: string;
  readonly hash: Buffer | null;
  readonly time_bytes: Buffer;
}

/** The select list that gives a `StoredChainRow` from `es_events` (no table alias). */
export const CHAIN_COLUMNS = `event_id::text AS event_id, stream_name, stream_revision::text AS revision, event_type, schema_version,
  data::text AS data, metadata::text AS metadata, hash, timestamptz_send(recorded_at) AS time_bytes`;

// The one-shot `crypto.hash` (Node ≥ 20.12) is cheaper than a Hash object: this runs per event read.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: Buffer, encoding: 'buffer') => Buffer }).hash;

/** The hash an event must store: sha256(previous ‖ content hash ‖ time bytes), as the append statement makes it. */
export function chainHashOf(previous: Buffer, contentHash: Buffer, timeBytes: Buffer): Buffer {
  const input = Buffer.concat([previous, contentHash, timeBytes], previous.length + contentHash.length + timeBytes.length);
  return oneShotHash ? oneShotHash('sha256', input, 'buffer') : crypto.createHash('sha256').update(input).digest();
}

/** The hash recomputed from what is stored, ignoring the stored hash. */
export function expectedHashOf(previous: Buffer, row: StoredChainRow): Buffer {
  const content = contentHashOf(row.event_id, row.stream_name, row.event_type, row.schema_version, row.data, row.metadata);
  return chainHashOf(previous, content, row.time_bytes);
}

/**
 * Follows one stream's chain event by event. Start it at the stream's first event (revision 0,
 * genesis hash) or, for a read that starts later, at the revision after one whose stored hash is
 * known. Pure: the caller reads the rows and decides what a finding costs.
 */
export class StreamChain {
  private nextRevision: bigint;
  private previousHash: Buffer;

  constructor(
    readonly streamName: string,
    from: { readonly revision: bigint; readonly previousHash: Buffer } = { revision: 0n, previousHash: GENESIS_HASH },
  ) {
    this.nextRevision = from.revision;
    this.previousHash = from.previousHash;
  }

  /** The revision the next event must have. */
  get expectedRevision(): bigint {
    return this.nextRevision;
  }

  /** The stored hash of the last event checked (the genesis hash before any). */
  get lastHash(): Buffer {
    return this.previousHash;
  }

  /**
   * Checks the next stored event of the stream: its revision follows, it has a hash, and the hash
   * is the one its content and the previous hash give. Returns what does not hold (0 to 2 findings).
   * Goes on from the stored hash, so one changed event is reported once, not with every later one.
   */
  next(row: StoredChainRow): ChainFinding[] {
    const findings: ChainFinding[] = [];
    const revision = BigInt(row.revision);
    if (revision !== this.nextRevision) findings.push({ reason: 'revision-gap', streamName: this.streamName, revision: this.nextRevision });
    this.nextRevision = revision + 1n;
    if (row.hash === null) {
      findings.push({ reason: 'unchained', streamName: this.streamName, revision });
      // Nothing to chain from: the next event is checked against a hash no one can match.
      this.previousHash = GENESIS_HASH;
      return findings;
    }
    if (!expectedHashOf(this.previousHash, row).equals(row.hash)) findings.push({ reason: 'hash-mismatch', streamName: this.streamName, revision });
    this.previousHash = row.hash;
    return findings;
  }

  /**
   * At the end of the stream: the stream row's head (`es_streams`, read in the same snapshot as the
   * events) must name the last event checked and its hash. `head` undefined: the stream has no row.
   */
  end(head: { readonly revision: bigint; readonly hash: Buffer | null } | undefined): ChainFinding | null {
    const last = this.nextRevision - 1n;
    if (head && head.revision === last && head.hash !== null && head.hash.equals(this.previousHash)) return null;
    return { reason: 'head-mismatch', streamName: this.streamName, revision: head?.revision ?? last };
  }
}

/** A verified read found that the stream does not hold: nothing of it is served. */
export class StreamIntegrityError extends Error {
  override readonly name = 'StreamIntegrityError';
  constructor(readonly finding: ChainFinding) {
    super(`Stream ${finding.streamName} does not verify at revision ${finding.revision} (${finding.reason})`);
  }

  get streamName(): string {
    return this.finding.streamName;
  }

  get revision(): bigint {
    return this.finding.revision;
  }

  get reason(): ChainBreakReason {
    return this.finding.reason;
  }
}

/** The category of a stream (`RehabCase` of `RehabCase-<uuid>`): a label with few values, never an id. */
export function streamCategoryOf(streamName: string): string {
  const dash = streamName.indexOf('-');
  return dash > 0 ? streamName.slice(0, dash) : streamName;
}
