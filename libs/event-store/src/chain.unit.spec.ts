import { createHash } from 'node:crypto';
import { GENESIS_HASH, StreamChain, chainHashOf, expectedHashOf, streamCategoryOf, type StoredChainRow } from './chain';
import { contentHashOf } from './event-data';

/** A stream as the append statement would chain it: sha256(previous ‖ content hash ‖ time bytes). */
function chained(streamName: string, count: number): StoredChainRow[] {
  const rows: StoredChainRow[] = [];
  let previous = GENESIS_HASH;
  for (let revision = 0; revision < count; revision++) {
    const row = {
      event_id: `0193b0c4-0000-7000-8000-00000000000${revision}`,
      stream_name: streamName,
      revision: String(revision),
      event_type: 'Noted',
      schema_version: 1,
      data: `{"n":${revision}}`,
      metadata: '{"actor":"u"}',
      time_bytes: Buffer.from([0, 2, 0xdb, 0x4c, 0, 0, 0, revision]),
    };
    const content = contentHashOf(row.event_id, streamName, row.event_type, row.schema_version, row.data, row.metadata);
    const hash = createHash('sha256').update(previous).update(content).update(row.time_bytes).digest();
    rows.push({ ...row, hash });
    previous = hash;
  }
  return rows;
}

const check = (chain: StreamChain, rows: readonly StoredChainRow[]) => rows.flatMap((row) => chain.next(row));

describe('StreamChain (the one check under every verifying reader)', () => {
  const rows = chained('RehabCase-1', 4);
  const head = { revision: 3n, hash: rows[3]?.hash ?? null };

  it('computes the hash the append statement stores', () => {
    const [first] = rows as [StoredChainRow];
    expect(expectedHashOf(GENESIS_HASH, first)).toEqual(first.hash);
    expect(chainHashOf(GENESIS_HASH, Buffer.alloc(32, 1), Buffer.alloc(8))).toEqual(
      createHash('sha256')
        .update(Buffer.concat([GENESIS_HASH, Buffer.alloc(32, 1), Buffer.alloc(8)]))
        .digest(),
    );
  });

  it('passes an untouched stream, whole or from a later revision linked to the stored hash before it', () => {
    const whole = new StreamChain('RehabCase-1');
    expect(check(whole, rows)).toEqual([]);
    expect(whole.end(head)).toBeNull();
    const later = new StreamChain('RehabCase-1', { revision: 2n, previousHash: rows[1]?.hash as Buffer });
    expect(check(later, rows.slice(2))).toEqual([]);
    expect(later.end(head)).toBeNull();
  });

  it('finds changed data, type, metadata and time at that event only', () => {
    for (const change of [{ data: '{"n":9}' }, { event_type: 'Forged' }, { metadata: '{}' }, { time_bytes: Buffer.alloc(8) }]) {
      const tampered = rows.map((row, i) => (i === 1 ? { ...row, ...change } : row));
      expect(check(new StreamChain('RehabCase-1'), tampered)).toEqual([{ reason: 'hash-mismatch', streamName: 'RehabCase-1', revision: 1n }]);
    }
  });

  it('finds a NULL hash (a break, not a count), and the link after it', () => {
    const unchained = rows.map((row, i) => (i === 2 ? { ...row, hash: null } : row));
    expect(check(new StreamChain('RehabCase-1'), unchained)).toEqual([
      { reason: 'unchained', streamName: 'RehabCase-1', revision: 2n },
      { reason: 'hash-mismatch', streamName: 'RehabCase-1', revision: 3n },
    ]);
  });

  it('finds a missing event in the middle, and at the end against the head', () => {
    const chain = new StreamChain('RehabCase-1');
    expect(check(chain, [rows[0], rows[2], rows[3]] as StoredChainRow[])).toEqual([
      { reason: 'revision-gap', streamName: 'RehabCase-1', revision: 1n },
      { reason: 'hash-mismatch', streamName: 'RehabCase-1', revision: 2n },
    ]);
    const short = new StreamChain('RehabCase-1');
    expect(check(short, rows.slice(0, 3))).toEqual([]);
    expect(short.end(head)).toEqual({ reason: 'head-mismatch', streamName: 'RehabCase-1', revision: 3n });
    expect(short.end(undefined)).toEqual({ reason: 'head-mismatch', streamName: 'RehabCase-1', revision: 2n });
  });

  it('finds a re-hashed event by the next link', () => {
    const rehashed = rows.map((row, i) =>
      i === 1 ? { ...row, data: '{"n":9}', hash: expectedHashOf(rows[0]?.hash as Buffer, { ...row, data: '{"n":9}' }) } : row,
    );
    expect(check(new StreamChain('RehabCase-1'), rehashed)).toEqual([{ reason: 'hash-mismatch', streamName: 'RehabCase-1', revision: 2n }]);
  });

  it('labels streams by category', () => {
    expect(streamCategoryOf('RehabCase-0193b0c4-0000-7000-8000-000000000001')).toBe('RehabCase');
    expect(streamCategoryOf('BreakGlass-Person-1')).toBe('BreakGlass');
    expect(streamCategoryOf('plain')).toBe('plain');
  });
});
