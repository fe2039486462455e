import { comparePositions, type EventStore, type Position, type RecordedEvent } from '@haidang/event-store';
import type { DeadLetterSink, DurableConsumer, EventBus, MessagingLogger } from '@haidang/messaging';
import type { DeliverBatch, EventSource } from './event-source';

export interface EventBusSourceOptions {
  /** The durable consumer's name, one per projection version (e.g. its schema name `proj_caseload_v1`). */
  readonly durable: string;
  /** Default `['evt.>']`: every event of every service. */
  readonly filterSubjects?: readonly string[];
  /**
   * The bus's own backstop. The runner retries database failures itself and dead-letters poison
   * events into projection_dead_letters, so a delivery fails here only while the runner is stopping;
   * hence the high default `maxDeliver`.
   */
  readonly deadLetters: DeadLetterSink;
  readonly maxDeliver?: number;
  readonly backoffMs?: readonly number[];
  /** Longer than the slowest batch the runner may be stuck retrying against a down database (default 5 min). */
  readonly ackWaitMs?: number;
  readonly logger?: MessagingLogger;
  /**
   * The store the bus's events come from (a projection of the service's own events). Given, a
   * message beyond what was delivered is a wake-up: the source reads everything committed after its
   * position from the store, up to `batchSize` events at a time, and delivers it as one batch (one
   * transaction); the messages that batch covered are then acknowledged without a transaction.
   * Absent, each message is a batch of one.
   */
  readonly store?: Pick<EventStore, 'readAll'>;
  /** Most events read from `store` per batch (default 500). */
  readonly batchSize?: number;
}

/**
 * A durable consumer of the event bus (JetStream, or the in-process bus of the embedded default) as
 * a projection's live source. Each message is acknowledged after the transaction that applied it
 * commits, one unacknowledged at a time so that the order is the log's. Without `store` a message is
 * a batch of one (a transaction per event); with it, a message is a wake-up and the batch is
 * everything committed since, read from the store (a transaction per batch).
 *
 * A durable cannot seek to a store position: a new one starts at the beginning of the stream and
 * the runner skips, without a transaction, everything its checkpoint covers. Rebuilds therefore read
 * the store (StoreSubscriptionSource): the stream may not hold the whole log, and it is faster. A
 * broker that lost the tail of its stream gets it re-sent by the relay, in order after what it kept,
 * so skipping by checkpoint never skips an event the projection has not applied.
 */
export class EventBusSource implements EventSource {
  private consumer: DurableConsumer | undefined;

  constructor(
    private readonly bus: Pick<EventBus, 'consume'>,
    private readonly options: EventBusSourceOptions,
  ) {}

  async start(from: Position, deliver: DeliverBatch): Promise<void> {
    if (this.consumer) throw new Error(`EventBusSource ${this.options.durable} already started`);
    const store = this.options.store;
    const batchSize = this.options.batchSize ?? 500;
    let cursor = from;
    const handle = async (event: RecordedEvent): Promise<void> => {
      // Covered by what was delivered (the runner skips it without a transaction), or no store to read.
      if (!store || comparePositions(event.position, cursor) <= 0) {
        await deliver([event]);
        if (comparePositions(event.position, cursor) > 0) cursor = event.position;
        return;
      }
      while (comparePositions(event.position, cursor) > 0) {
        const batch: RecordedEvent[] = [];
        for await (const e of store.readAll({ fromPosition: cursor, maxCount: batchSize })) batch.push(e);
        const last = batch[batch.length - 1];
        if (!last) break;
        await deliver(batch);
        cursor = last.position;
      }
      if (comparePositions(event.position, cursor) > 0) {
        // Not (yet) readable from the store: apply what the bus brought.
        await deliver([event]);
        cursor = event.position;
      }
    };
    this.consumer = await this.bus.consume({
      durable: this.options.durable,
      filterSubjects: this.options.filterSubjects ?? ['evt.>'],
      deadLetters: this.options.deadLetters,
      maxDeliver: this.options.maxDeliver ?? 1_000,
      maxAckPending: 1,
      ackWaitMs: this.options.ackWaitMs ?? 300_000,
      deliverPolicy: 'all',
      handler: handle,
      ...(this.options.backoffMs ? { backoffMs: this.options.backoffMs } : {}),
      ...(this.options.logger ? { logger: this.options.logger } : {}),
    });
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.stop();
  }
}
