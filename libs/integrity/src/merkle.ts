import { createHash } from 'node:crypto';

/** One stream's head as a checkpoint covers it: the hash of the event at `revision`. */
export interface StreamHead {
  readonly streamName: string;
  readonly revision: bigint;
  readonly hash: Buffer;
}

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);
const SEPARATOR = Buffer.from([0x1f]);

/**
 * The Merkle root over stream heads, sorted by stream name. Leaves and inner nodes are hashed
 * with different prefixes (RFC 6962 style) so that a node can never pass for a leaf; an odd node
 * is carried up unchanged. The empty tree is sha256 of nothing.
 */
export function merkleRoot(heads: readonly StreamHead[]): Buffer {
  const sorted = [...heads].sort((a, b) => (a.streamName < b.streamName ? -1 : a.streamName > b.streamName ? 1 : 0));
  let level: Buffer[] = sorted.map((head) =>
    createHash('sha256')
      .update(LEAF)
      .update(head.streamName, 'utf8')
      .update(SEPARATOR)
      .update(head.revision.toString(), 'utf8')
      .update(SEPARATOR)
      .update(head.hash)
      .digest(),
  );
  if (level.length === 0) return createHash('sha256').digest();
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i] as Buffer;
      const right = level[i + 1];
      next.push(right ? createHash('sha256').update(NODE).update(left).update(right).digest() : left);
    }
    level = next;
  }
  return level[0] as Buffer;
}
