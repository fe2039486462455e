/**
 * The proof that the global log never skips an event (invariant 1, ADR 0002).
 *
 * A bigserial position is taken at insert, not at commit: a reader following positions alone can
 * see 12 before 11 commits and skip 11 for ever. Here 16 writers append in open transactions that
 * sleep a random while before committing, about 10% roll back, and some lose optimistic-concurrency
 * races, while a subscriber follows the log. It must receive exactly the committed events, each
 * once, in strictly increasing position, with every stream's revisions in order and gapless.
 */
import { randomInt } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { TransactionOrderConflictError, WrongExpectedVersionError } from '../errors';
import { jsonEvent } from '../event-data';
import { eventStoreMigrations } from '../migrations/event-store.migrations';
import { comparePositions } from '../position';
import type { ExpectedRevision, RecordedEvent } from '../types';
import { PostgresEventStore } from './postgres-event-store';

const WRITERS = 16;
const TRANSACTIONS_PER_WRITER = 300;
const SHARED_STREAMS = 96;
const ROLLBACK_RATE = 0.1;

jest.setTimeout(120_000);

describe('the global log under concurrent writers', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: eventStoreMigrations });
    store = new PostgresEventStore({ pool: database.pool });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('never lets a slow transaction be overtaken by a faster one', async () => {
    const slow = new Client({ connectionString: database.url });
    await slow.connect();
    try {
      const subscription = store.subscribeToAll({ pollIntervalMs: 20 });
      const received: string[] = [];
      const following = (async () => {
        for await (const e of subscription) received.push(e.type);
      })();
      await slow.query('BEGIN');
      await store.appendInTransaction(slow, 'Case-slow', jsonEvent({ type: 'Slow', data: {} }));
      await store.appendToStream('Case-fast', jsonEvent({ type: 'Fast', data: {} })); // commits first, higher xid
      await new Promise((r) => setTimeout(r, 300));
      expect(received).toEqual([]); // Fast is committed, but Slow might still commit below it
      await slow.query('COMMIT');
      const deadline = Date.now() + 5_000;
      while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await subscription.unsubscribe();
      await following;
      expect(received).toEqual(['Slow', 'Fast']);
    } finally {
      await slow.end();
    }
  });

  it('delivers exactly the committed events, once each, in order, under 16 concurrent writers', async () => {
    const fromPosition = await store.headPosition();
    const streams = Array.from({ length: SHARED_STREAMS }, (_, i) => `Case-proof-${i}`);
    const committed = new Map<string, { stream: string }>();
    const tally = { transactions: 0, rollbacks: 0, conflicts: 0, orderRetries: 0 };

    const received: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({ fromPosition, batchSize: 200, pollIntervalMs: 20 });
    const following = (async () => {
      for await (const e of subscription) received.push(e);
    })();

    async function writer(): Promise<void> {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      const knownRevision = new Map<string, bigint>();
      try {
        for (let i = 0; i < TRANSACTIONS_PER_WRITER; i++) {
          const stream = streams[randomInt(streams.length)] as string;
          const known = knownRevision.get(stream);
          // Mostly exact expectations from a possibly stale cache (conflicts happen), some 'any'.
          const expectedRevision: ExpectedRevision = Math.random() < 0.25 || known === undefined ? 'any' : known;
          const events = Array.from({ length: 1 + randomInt(3) }, () => jsonEvent({ type: 'ProofNoted', data: { i } }));
          await client.query('BEGIN');
          try {
            const result = await store.appendInTransaction(client, stream, events, { expectedRevision });
            await sleep(randomInt(4)); // hold the transaction open: later ones commit first
            if (Math.random() < ROLLBACK_RATE) {
              await client.query('ROLLBACK');
              tally.rollbacks++;
              continue;
            }
            await client.query('COMMIT');
            tally.transactions++;
            knownRevision.set(stream, result.nextExpectedRevision);
            for (const e of events) committed.set(e.id, { stream });
          } catch (error) {
            await client.query('ROLLBACK');
            if (error instanceof WrongExpectedVersionError) {
              tally.conflicts++;
              if (typeof error.actualRevision === 'bigint') knownRevision.set(stream, error.actualRevision);
            } else if (error instanceof TransactionOrderConflictError) {
              tally.orderRetries++;
            } else {
              throw error;
            }
          }
        }
      } finally {
        await client.end();
      }
    }

    await Promise.all(Array.from({ length: WRITERS }, writer));
    const deadline = Date.now() + 30_000;
    while (received.length < committed.size && Date.now() < deadline) await sleep(25);
    await sleep(300); // anything extra (a duplicate, a rolled-back event) would arrive now
    await subscription.unsubscribe();
    await following;

    console.warn(JSON.stringify({ ...tally, committedEvents: committed.size, received: received.length }));
    expect(tally.transactions).toBeGreaterThan(WRITERS * TRANSACTIONS_PER_WRITER * 0.4);
    expect(tally.rollbacks).toBeGreaterThan(0);
    expect(tally.conflicts).toBeGreaterThan(0);
    expect(committed.size).toBeGreaterThan(4000);

    // Exactly the committed events, each once.
    const receivedIds = received.map((e) => e.id);
    expect(new Set(receivedIds).size).toBe(receivedIds.length);
    expect([...receivedIds].sort()).toEqual([...committed.keys()].sort());
    // In strictly increasing cursor order.
    for (let i = 1; i < received.length; i++) {
      expect(comparePositions((received[i - 1] as RecordedEvent).position, (received[i] as RecordedEvent).position)).toBe(-1);
    }
    // Every stream's revisions arrive in order, without gaps.
    const nextRevision = new Map<string, bigint>();
    for (const e of received) {
      const expected = nextRevision.get(e.streamId) ?? 0n;
      expect(`${e.streamId}@${e.revision}`).toBe(`${e.streamId}@${expected}`);
      nextRevision.set(e.streamId, e.revision + 1n);
    }
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
