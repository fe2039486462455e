import { randomUUID } from 'node:crypto';
import { IdempotencyKeyReusedError, InvalidAppendError, WrongExpectedVersionError } from '../errors';
import { jsonEvent } from '../event-data';
import { comparePositions } from '../position';
import { START, type EventStore, type Position, type RecordedEvent } from '../types';
import { UpcasterRegistry } from '../upcasters';

/** Makes a fresh, empty store for each test; `cleanup` releases it. */
export type EventStoreContractFactory = (options: { upcasters?: UpcasterRegistry }) => Promise<{
  store: EventStore;
  cleanup: () => Promise<void>;
}>;

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function take(iterable: AsyncIterable<RecordedEvent>, count: number): Promise<RecordedEvent[]> {
  const items: RecordedEvent[] = [];
  if (count === 0) return items;
  for await (const item of iterable) {
    items.push(item);
    if (items.length === count) break;
  }
  return items;
}

const streamOf = (aggregate = 'Case'): string => `${aggregate}-${randomUUID()}`;
const event = (type: string, data: Record<string, unknown> = {}, agency = '22-DOLISA') =>
  jsonEvent({ type, data, metadata: { actor: 'user-1', agency, correlationId: randomUUID(), causationId: randomUUID(), commandId: randomUUID() } });

/**
 * The behaviour every EventStore adapter must have. The PostgreSQL adapter runs it on PostgreSQL
 * and on PGlite; a KurrentDB adapter will run it too.
 */
export function describeEventStoreContract(adapterName: string, factory: EventStoreContractFactory): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await factory({}));
    });
    afterEach(async () => {
      await cleanup();
    });

    describe('appendToStream', () => {
      it('creates a stream and records the full envelope', async () => {
        const stream = streamOf();
        const before = new Date(Date.now() - 5_000);
        const result = await store.appendToStream(stream, event('RehabCaseRegistered', { form: 'VOLUNTARY_COMMUNITY' }), { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(0n);
        const [recorded] = await collect(store.readStream(stream));
        expect(recorded).toMatchObject({
          type: 'RehabCaseRegistered',
          schemaVersion: 1,
          streamId: stream,
          revision: 0n,
          data: { form: 'VOLUNTARY_COMMUNITY' },
          metadata: { actor: 'user-1', agency: '22-DOLISA' },
        });
        expect(recorded?.id).toMatch(UUID_V7);
        expect(recorded?.position).toEqual(result.position);
        expect(recorded?.created.getTime()).toBeGreaterThanOrEqual(before.getTime());
        for (const key of ['correlationId', 'causationId', 'commandId']) expect(typeof recorded?.metadata[key]).toBe('string');
      });

      it('appends several events atomically with consecutive revisions in one transaction', async () => {
        const stream = streamOf();
        const result = await store.appendToStream(stream, [event('A'), event('B'), event('C')], { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(2n);
        const events = await collect(store.readStream(stream));
        expect(events.map((e) => [e.type, e.revision])).toEqual([
          ['A', 0n],
          ['B', 1n],
          ['C', 2n],
        ]);
        const commits = new Set(events.map((e) => e.position.commit));
        expect(commits.size).toBe(1);
        expect(events.map((e) => e.position.prepare)).toEqual([...events.map((e) => e.position.prepare)].sort((a, b) => (a < b ? -1 : 1)));
      });

      it('writes nothing when one event of an append cannot be stored', async () => {
        const stream = streamOf();
        const first = event('A');
        await store.appendToStream(stream, first);
        const reusedId = { ...event('C'), id: first.id };
        await expect(store.appendToStream(stream, [event('B'), reusedId], { expectedRevision: 0n })).rejects.toThrow();
        expect((await collect(store.readStream(stream))).map((e) => e.type)).toEqual(['A']);
        // The stream's revision did not move either: the next append still expects 0.
        await expect(store.appendToStream(stream, event('D'), { expectedRevision: 0n })).resolves.toMatchObject({ nextExpectedRevision: 1n });
      });

      it('refuses a stale exact revision with WrongExpectedVersion and writes nothing', async () => {
        const stream = streamOf();
        await store.appendToStream(stream, [event('A'), event('B')]);
        const headBefore = await store.headPosition();
        const error = await store.appendToStream(stream, event('C'), { expectedRevision: 0n }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamName: stream, expectedRevision: 0n, actualRevision: 1n });
        expect(await collect(store.readStream(stream))).toHaveLength(2);
        expect(await store.headPosition()).toEqual(headBefore);
      });

      it('honours no_stream, stream_exists and any', async () => {
        const stream = streamOf();
        await expect(store.appendToStream(stream, event('A'), { expectedRevision: 'stream_exists' })).rejects.toMatchObject({
          name: 'WrongExpectedVersionError',
          actualRevision: 'no_stream',
        });
        await expect(store.appendToStream(stream, event('A'), { expectedRevision: 'no_stream' })).resolves.toMatchObject({ nextExpectedRevision: 0n });
        await expect(store.appendToStream(stream, event('B'), { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(WrongExpectedVersionError);
        await expect(store.appendToStream(stream, event('B'), { expectedRevision: 'stream_exists' })).resolves.toMatchObject({ nextExpectedRevision: 1n });
        await expect(store.appendToStream(stream, event('C'), { expectedRevision: 'any' })).resolves.toMatchObject({ nextExpectedRevision: 2n });
        await expect(store.appendToStream(stream, event('D'), { expectedRevision: 7n })).rejects.toMatchObject({ actualRevision: 2n });
        await expect(store.appendToStream(streamOf(), event('E'), { expectedRevision: 0n })).rejects.toMatchObject({ actualRevision: 'no_stream' });
      });

      it('lets exactly one of several concurrent writers with the same expected revision win', async () => {
        const stream = streamOf();
        await store.appendToStream(stream, event('Opened'));
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => store.appendToStream(stream, event('Noted', { i }), { expectedRevision: 0n })),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(WrongExpectedVersionError);
        expect(await collect(store.readStream(stream))).toHaveLength(2);
      });

      it('rejects invalid input before writing anything', async () => {
        await expect(store.appendToStream('', event('A'))).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(store.appendToStream('has space', event('A'))).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(store.appendToStream(streamOf(), [])).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(store.appendToStream(streamOf(), { type: 'A', data: [] as unknown as Record<string, unknown> })).rejects.toBeInstanceOf(
          InvalidAppendError,
        );
        await expect(store.appendToStream(streamOf(), { type: 'A', data: {}, schemaVersion: 0 })).rejects.toBeInstanceOf(InvalidAppendError);
        expect(await collect(store.readAll())).toHaveLength(0);
      });
    });

    describe('idempotent append', () => {
      it('returns the first result for a retry with the same key and appends nothing', async () => {
        const stream = streamOf();
        const first = await store.appendToStream(stream, event('PersonRegistered', { n: 1 }), { idempotencyKey: 'k-1' });
        // A retry is a new request: new event id, new correlation id, same content.
        const retry = await store.appendToStream(stream, event('PersonRegistered', { n: 1 }), { idempotencyKey: 'k-1' });
        expect(first.idempotentReplay).toBe(false);
        expect(retry).toEqual({ ...first, idempotentReplay: true });
        expect(await collect(store.readStream(stream))).toHaveLength(1);
      });

      it('answers a retry even when its expected revision has gone stale', async () => {
        const stream = streamOf();
        const first = await store.appendToStream(stream, event('A'), { expectedRevision: 'no_stream', idempotencyKey: 'k-2' });
        const retry = await store.appendToStream(stream, event('A'), { expectedRevision: 'no_stream', idempotencyKey: 'k-2' });
        expect(retry.nextExpectedRevision).toBe(first.nextExpectedRevision);
      });

      it('refuses the same key with different events', async () => {
        const stream = streamOf();
        await store.appendToStream(stream, event('A', { n: 1 }), { idempotencyKey: 'k-3' });
        await expect(store.appendToStream(stream, event('A', { n: 2 }), { idempotencyKey: 'k-3' })).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
        await expect(store.appendToStream(streamOf(), event('A', { n: 1 }), { idempotencyKey: 'k-3' })).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
        expect(await collect(store.readAll())).toHaveLength(1);
      });

      it('recognises a retry by its fingerprint when its events differ (fresh ciphertext)', async () => {
        const stream = streamOf();
        const first = await store.appendToStream(stream, event('NoteAdded', { note: 'pii:v1:first-try' }), {
          idempotencyKey: 'k-fp',
          idempotencyFingerprint: 'request-1',
        });
        const retry = await store.appendToStream(stream, event('NoteAdded', { note: 'pii:v1:second-try' }), {
          idempotencyKey: 'k-fp',
          idempotencyFingerprint: 'request-1',
        });
        expect(retry).toEqual({ ...first, idempotentReplay: true });
        await expect(
          store.appendToStream(stream, event('NoteAdded', { note: 'pii:v1:third' }), { idempotencyKey: 'k-fp', idempotencyFingerprint: 'request-2' }),
        ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
        expect(await collect(store.readStream(stream))).toHaveLength(1);
      });

      it('scopes keys by agency', async () => {
        const stream = streamOf();
        await store.appendToStream(stream, event('A', {}, '22-POLICE'), { idempotencyKey: 'same' });
        const other = await store.appendToStream(stream, event('A', {}, '20-POLICE'), { idempotencyKey: 'same' });
        expect(other.idempotentReplay).toBe(false);
        expect(await collect(store.readStream(stream))).toHaveLength(2);
      });

      it('appends once when the same request races itself', async () => {
        const stream = streamOf();
        const results = await Promise.all(Array.from({ length: 6 }, () => store.appendToStream(stream, event('A', { x: 1 }), { idempotencyKey: 'race' })));
        expect(results.filter((r) => !r.idempotentReplay)).toHaveLength(1);
        expect(new Set(results.map((r) => `${r.position.commit}:${r.position.prepare}`)).size).toBe(1);
        expect(await collect(store.readStream(stream))).toHaveLength(1);
      });

      it('does not keep the key of a refused append', async () => {
        const stream = streamOf();
        await store.appendToStream(stream, event('A'));
        await expect(store.appendToStream(stream, event('B'), { expectedRevision: 5n, idempotencyKey: 'k-4' })).rejects.toBeInstanceOf(
          WrongExpectedVersionError,
        );
        await expect(store.appendToStream(stream, event('B'), { expectedRevision: 0n, idempotencyKey: 'k-4' })).resolves.toMatchObject({
          idempotentReplay: false,
        });
      });
    });

    describe('readStream', () => {
      it('reads forwards and backwards, from a revision, up to a count', async () => {
        const stream = streamOf();
        await store.appendToStream(
          stream,
          ['E0', 'E1', 'E2', 'E3', 'E4'].map((t) => event(t)),
        );
        const types = async (o: Parameters<EventStore['readStream']>[1]) => (await collect(store.readStream(stream, o))).map((e) => e.type);
        expect(await types({})).toEqual(['E0', 'E1', 'E2', 'E3', 'E4']);
        expect(await types({ fromRevision: 2n })).toEqual(['E2', 'E3', 'E4']);
        expect(await types({ fromRevision: 1n, maxCount: 2 })).toEqual(['E1', 'E2']);
        expect(await types({ direction: 'backwards' })).toEqual(['E4', 'E3', 'E2', 'E1', 'E0']);
        expect(await types({ direction: 'backwards', fromRevision: 2n, maxCount: 2 })).toEqual(['E2', 'E1']);
        expect(await types({ direction: 'backwards', maxCount: 1 })).toEqual(['E4']);
        expect(await collect(store.readStream(streamOf()))).toEqual([]);
      });
    });

    describe('readAll', () => {
      it('reads the global log in order, after an exclusive position, up to a count', async () => {
        const a = streamOf();
        const b = streamOf();
        await store.appendToStream(a, event('A1'));
        await store.appendToStream(b, [event('B1'), event('B2')]);
        await store.appendToStream(a, event('A2'));
        const all = await collect(store.readAll());
        expect(all.map((e) => e.type)).toEqual(['A1', 'B1', 'B2', 'A2']);
        for (let i = 1; i < all.length; i++) expect(comparePositions((all[i - 1] as RecordedEvent).position, (all[i] as RecordedEvent).position)).toBe(-1);
        const afterFirst = await collect(store.readAll({ fromPosition: (all[0] as RecordedEvent).position }));
        expect(afterFirst.map((e) => e.type)).toEqual(['B1', 'B2', 'A2']);
        expect((await collect(store.readAll({ maxCount: 2 }))).map((e) => e.type)).toEqual(['A1', 'B1']);
        expect(await store.headPosition()).toEqual((all[3] as RecordedEvent).position);
      });

      it('reports the start as head of an empty store', async () => {
        expect(await store.headPosition()).toEqual(START);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up, then delivers live events in order, and stops when unsubscribed', async () => {
        const stream = streamOf();
        await store.appendToStream(stream, [event('Old1'), event('Old2')]);
        const subscription = store.subscribeToAll({ fromPosition: START, pollIntervalMs: 50 });
        const received: RecordedEvent[] = [];
        const done = (async () => {
          for await (const e of subscription) received.push(e);
        })();
        await waitUntil(() => received.length === 2);
        await store.appendToStream(stream, event('New1'));
        await store.appendToStream(streamOf(), event('New2'));
        await waitUntil(() => received.length === 4);
        await subscription.unsubscribe();
        await done;
        expect(received.map((e) => e.type)).toEqual(['Old1', 'Old2', 'New1', 'New2']);
      });

      it('starts after the given position', async () => {
        const first = await store.appendToStream(streamOf(), event('Seen'));
        await store.appendToStream(streamOf(), event('Unseen'));
        const subscription = store.subscribeToAll({ fromPosition: first.position, pollIntervalMs: 50 });
        const [next] = await take(subscription, 1);
        await subscription.unsubscribe();
        expect(next?.type).toBe('Unseen');
      });
    });

    describe('upcasting', () => {
      it('applies upcasters in sequence on every read path', async () => {
        const upcasters = new UpcasterRegistry()
          .register('CaseOpened', 1, (data) => ({ ...data, province: '22' }))
          .register('CaseOpened', 2, ({ name, ...rest }) => ({ ...rest, displayName: name }));
        const { store: upcasting, cleanup: cleanupUpcasting } = await factory({ upcasters });
        try {
          const stream = streamOf();
          await upcasting.appendToStream(stream, jsonEvent({ type: 'CaseOpened', data: { name: 'x' }, schemaVersion: 1 }));
          await upcasting.appendToStream(stream, jsonEvent({ type: 'CaseOpened', data: { displayName: 'y', province: '20' }, schemaVersion: 3 }));
          const expected = [
            { schemaVersion: 3, data: { displayName: 'x', province: '22' } },
            { schemaVersion: 3, data: { displayName: 'y', province: '20' } },
          ];
          const shape = (events: RecordedEvent[]) => events.map(({ schemaVersion, data }) => ({ schemaVersion, data }));
          expect(shape(await collect(upcasting.readStream(stream)))).toEqual(expected);
          expect(shape(await collect(upcasting.readAll()))).toEqual(expected);
          const subscription = upcasting.subscribeToAll({ pollIntervalMs: 50 });
          expect(shape(await take(subscription, 2))).toEqual(expected);
          await subscription.unsubscribe();
        } finally {
          await cleanupUpcasting();
        }
      });
    });
  });
}

async function waitUntil(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export type { Position };
