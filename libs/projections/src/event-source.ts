import { comparePositions, START, type EventStore, type Position, type RecordedEvent } from '@haidang/event-store';
import { ProjectionStoppedError } from './errors';

/**
 * Hands a batch of events, in global order, to the projection. Resolving is the acknowledgement:
 * the events are applied and their checkpoint committed. Rejecting means "not applied": the source
 * delivers them again (or stops, when the rejection is a ProjectionStoppedError).
 */
export type DeliverBatch = (events: readonly RecordedEvent[]) => Promise<void>;

/**
 * Where a projection's events come from: the store's own subscription (the embedded default, and
 * every rebuild) or a JetStream durable consumer. Delivery is at least once and in global order; the
 * runner makes it exactly once in effect by skipping what its checkpoint already covers, so a source
 * may redeliver freely (after a crash, a nak, a reconnect).
 * A source delivers batches rather than single events so that the runner can apply a batch in one
 * transaction while it catches up.
 */
export interface EventSource {
  /**
   * Starts delivering the events strictly after `from` (a source that cannot seek, such as a durable
   * consumer, may deliver earlier ones: they are skipped), one batch at a time. Resolves once
   * delivery has started; rejects if it cannot start.
   */
  start(from: Position, deliver: DeliverBatch): Promise<void>;
  /** Stops delivering; resolves when no delivery is in progress any more. */
  stop(): Promise<void>;
}

export interface StoreSubscriptionSourceOptions {
  /** Most events per delivered batch, and the page size read from the store (default 500). */
  readonly batchSize?: number;
  /** How often the live subscription looks for new events without a notification (default 250 ms). */
  readonly pollIntervalMs?: number;
  /** Pause before resubscribing after the store failed, doubled up to 30 s (default 200 ms). */
  readonly retryDelayMs?: number;
  /** Told about store failures the source recovers from. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The store's catch-up-then-live subscription as an EventSource. While it catches up, the
 * subscription reads full pages, so batches are full; live, a batch holds whatever has arrived.
 * It reads the next page while the runner applies the current one.
 */
export class StoreSubscriptionSource implements EventSource {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retryDelayMs: number;
  private running: Promise<void> | undefined;
  private stopping = false;
  private unsubscribe: (() => Promise<void>) | undefined;
  private wakeFromPause: (() => void) | undefined;

  constructor(
    private readonly store: Pick<EventStore, 'subscribeToAll'>,
    private readonly options: StoreSubscriptionSourceOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.retryDelayMs = options.retryDelayMs ?? 200;
  }

  async start(from: Position, deliver: DeliverBatch): Promise<void> {
    if (this.running) throw new Error('StoreSubscriptionSource already started');
    this.stopping = false;
    this.running = this.run(from, deliver);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeFromPause?.();
    await this.unsubscribe?.();
    await this.running;
    this.running = undefined;
  }

  private async run(from: Position, deliver: DeliverBatch): Promise<void> {
    let cursor = from;
    let failures = 0;
    while (!this.stopping) {
      const subscription = this.store.subscribeToAll({ fromPosition: cursor, batchSize: this.batchSize, pollIntervalMs: this.pollIntervalMs });
      this.unsubscribe = () => subscription.unsubscribe();
      try {
        for await (const batch of batches(subscription[Symbol.asyncIterator](), this.batchSize)) {
          if (this.stopping) break;
          await deliver(batch);
          cursor = (batch[batch.length - 1] as RecordedEvent).position;
          failures = 0;
        }
      } catch (error) {
        if (this.stopping || error instanceof ProjectionStoppedError) break;
        this.options.onError?.(error);
        await this.pause(Math.min(30_000, this.retryDelayMs * 2 ** failures++));
      } finally {
        this.unsubscribe = undefined;
        await subscription.unsubscribe().catch(() => undefined);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeFromPause = done;
    });
  }
}

const NOT_YET = Symbol('not yet');

/**
 * Groups what an async iterator has ready into arrays of at most `max`: a batch closes when it is
 * full or when the next item is not available without waiting for I/O (a macrotask turn). The next
 * item is asked for before the batch is handed out, so the producer fetches while the consumer works.
 */
export async function* batches<T>(iterator: AsyncIterator<T>, max: number): AsyncGenerator<T[]> {
  if (!Number.isInteger(max) || max < 1) throw new Error(`batch size must be a positive integer, got ${max}`);
  let pending = iterator.next();
  try {
    for (;;) {
      const first = await pending;
      if (first.done) return;
      const batch = [first.value];
      pending = iterator.next();
      while (batch.length < max) {
        const next = await Promise.race([pending, nextTurn()]);
        if (next === NOT_YET) break;
        if (next.done) {
          yield batch;
          return;
        }
        batch.push(next.value);
        pending = iterator.next();
      }
      yield batch;
    }
  } finally {
    // Settle the prefetch so that a rejection is not left unhandled when the consumer stops early.
    pending.catch(() => undefined);
  }
}

function nextTurn(): Promise<typeof NOT_YET> {
  return new Promise((resolve) => setImmediate(resolve, NOT_YET));
}

interface FeedMember {
  /** The last position this member has applied (or started after). */
  cursor: Position;
  readonly deliver: DeliverBatch;
  busy: Promise<void> | undefined;
  stopped: boolean;
}

/**
 * One reading of the store for every live projection of a process: each page of the log is read
 * once and handed to every projection (in parallel, each in its own transaction), instead of one
 * subscription — and one page read per commit — per projection. Commits that arrive while a batch is
 * being applied are read together, as the next batch, by one query. A projection that joins behind
 * what the feed has handed out (a rebuilt version going live) makes the feed read again from there;
 * the others skip what their checkpoints cover without a transaction.
 */
export class SharedStoreFeed {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retryDelayMs: number;
  private readonly members = new Set<FeedMember>();
  private running: Promise<void> | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  /** Position of the last event handed to the members (delivered or being delivered). */
  private handedOut: Position | undefined;
  private restart = false;
  private wakeFromPause: (() => void) | undefined;

  constructor(
    private readonly store: Pick<EventStore, 'subscribeToAll'>,
    private readonly options: StoreSubscriptionSourceOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.retryDelayMs = options.retryDelayMs ?? 200;
  }

  /** An EventSource for one projection, fed by this feed. */
  source(): EventSource {
    let member: FeedMember | undefined;
    return {
      start: async (from, deliver) => {
        if (member) throw new Error('SharedStoreFeed source already started');
        member = { cursor: from, deliver, busy: undefined, stopped: false };
        this.join(member);
      },
      stop: async () => {
        const leaving = member;
        member = undefined;
        if (leaving) await this.leave(leaving);
      },
    };
  }

  private join(member: FeedMember): void {
    this.members.add(member);
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = undefined;
        // A member that joined while the loop was ending.
        if (this.members.size > 0) this.join([...this.members][0] as FeedMember);
      });
    } else if (this.handedOut && comparePositions(member.cursor, this.handedOut) < 0) this.again();
  }

  private async leave(member: FeedMember): Promise<void> {
    member.stopped = true;
    this.members.delete(member);
    await member.busy?.catch(() => undefined);
    if (this.members.size === 0) {
      this.wakeFromPause?.();
      await this.unsubscribe?.();
      await this.running;
    }
  }

  /** Reads again from the earliest member's position. */
  private again(): void {
    this.restart = true;
    this.wakeFromPause?.();
    void this.unsubscribe?.().catch(() => undefined);
  }

  private earliest(): Position {
    let from: Position | undefined;
    for (const m of this.members) if (!from || comparePositions(m.cursor, from) < 0) from = m.cursor;
    return from ?? START;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.members.size > 0) {
      this.restart = false;
      const from = this.earliest();
      this.handedOut = from;
      const subscription = this.store.subscribeToAll({ fromPosition: from, batchSize: this.batchSize, pollIntervalMs: this.pollIntervalMs });
      this.unsubscribe = () => subscription.unsubscribe();
      let failed = false;
      try {
        for await (const batch of batches(subscription[Symbol.asyncIterator](), this.batchSize)) {
          if (this.restart || this.members.size === 0) break;
          const last = (batch[batch.length - 1] as RecordedEvent).position;
          this.handedOut = last;
          const outcomes = await Promise.all([...this.members].map((m) => this.deliverTo(m, batch, last)));
          if (outcomes.includes(false)) {
            failed = true;
            break;
          }
          failures = 0;
        }
      } catch (error) {
        if (!(error instanceof ProjectionStoppedError)) {
          this.options.onError?.(error);
          failed = true;
        }
      } finally {
        this.unsubscribe = undefined;
        await subscription.unsubscribe().catch(() => undefined);
      }
      if (failed && this.members.size > 0) await this.pause(Math.min(30_000, this.retryDelayMs * 2 ** failures++));
    }
  }

  /** False when the member failed to apply the batch (it gets it again after a pause). */
  private async deliverTo(member: FeedMember, batch: readonly RecordedEvent[], last: Position): Promise<boolean> {
    if (member.stopped) return true;
    if (comparePositions(last, member.cursor) <= 0) return true; // covered: nothing to do
    const fresh = batch.filter((e) => comparePositions(e.position, member.cursor) > 0);
    const delivery = member.deliver(fresh);
    member.busy = delivery;
    try {
      await delivery;
      member.cursor = last;
      return true;
    } catch (error) {
      if (member.stopped || error instanceof ProjectionStoppedError) return true;
      this.options.onError?.(error);
      return false;
    } finally {
      if (member.busy === delivery) member.busy = undefined;
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeFromPause = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeFromPause = done;
    });
  }
}
