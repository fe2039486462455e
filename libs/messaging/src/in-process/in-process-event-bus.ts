import type {
  DurableConsumer,
  DurableConsumerOptions,
  EventBus,
  EventPublisher,
  OutgoingMessage,
  PublishAck,
  StoredMessage,
  StreamState,
} from '../bus/event-bus';
import { deliveryPolicy, processDelivery, type DeliveryPolicy, type RawDelivery } from '../bus/process-delivery';
import { deadLetterHeaders } from '../bus/process-delivery';
import { DEFAULT_DUPLICATE_WINDOW_MS, DEFAULT_EVENT_STREAM } from '../jetstream/ensure-event-stream';
import { consoleLogger, errorMessage } from '../logger';
import { isValidSubjectToken, subjectMatches } from '../subjects';

export interface InProcessEventBusOptions {
  /** Default `EVENTS`. */
  readonly stream?: string;
  /** Default 2 minutes, as the JetStream stream. */
  readonly duplicateWindowMs?: number;
  /** Clock for the duplicate window and the retention (tests). */
  readonly now?: () => number;
  /**
   * How long a message is kept at least (default 5 minutes, more than the duplicate window). After
   * that it is dropped once every durable has been given it and acknowledged it: the stream lives in
   * the process's memory, and `npm start` runs for days (interest retention, as a JetStream
   * work-queue would, plus an age floor so that a durable created a little later still sees it).
   */
  readonly retentionMs?: number;
}

/** Retention is checked every this many appends, not on each. */
const RETENTION_CHECK_EVERY = 256;

interface Stored extends StoredMessage {
  readonly msgId: string;
  readonly storedAt: number;
}

interface PendingDelivery {
  deliveries: number;
  /** When it may be delivered again; undefined while the handler has it. */
  redeliverAt: number | undefined;
}

/** A durable's position; it outlives the `consume()` calls, as a JetStream durable does. */
interface DurableState {
  filterSubjects: readonly string[];
  /** Next stream sequence not yet delivered to this durable. */
  nextSeq: number;
  readonly pending: Map<number, PendingDelivery>;
  active: boolean;
}

export type CoreListener = (subject: string, data: Uint8Array, headers: Readonly<Record<string, string>>) => void;

/**
 * The event bus inside one process, for the embedded default (no NATS_URL): a stream with
 * sequence numbers and msg-id de-duplication, durable consumers with ack/nak/back-off and dead
 * letters, the same contract as JetStream. Nothing survives the process: after a restart the
 * relay finds the stream behind its checkpoint and re-sends the log, and consumers start over
 * (projections skip what their checkpoints already hold).
 */
export class InProcessEventBus implements EventBus {
  readonly persistent = false;
  readonly stream: string;
  private readonly duplicateWindowMs: number;
  private readonly now: () => number;
  private readonly retentionMs: number;
  private appendsSinceRetentionCheck = 0;
  private readonly messages = new Map<number, Stored>();
  private readonly dedup = new Map<string, { seq: number; at: number }>();
  private firstSeq = 1;
  private lastSeq = 0;
  private readonly durables = new Map<string, DurableState>();
  private readonly wakers = new Set<() => void>();
  private readonly coreListeners = new Set<{ filter: string; listener: CoreListener }>();
  private readonly consumers = new Set<DurableConsumer>();
  private closed = false;

  constructor(options: InProcessEventBusOptions = {}) {
    this.stream = options.stream ?? DEFAULT_EVENT_STREAM;
    this.duplicateWindowMs = options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS;
    this.now = options.now ?? Date.now;
    this.retentionMs = options.retentionMs ?? 5 * 60_000;
  }

  async openPublisher(): Promise<EventPublisher> {
    if (this.closed) throw new Error('Event bus is closed');
    return new InProcessPublisher(this);
  }

  async consume(options: DurableConsumerOptions): Promise<DurableConsumer> {
    if (this.closed) throw new Error('Event bus is closed');
    if (!isValidSubjectToken(options.durable)) throw new Error(`Invalid durable name ${JSON.stringify(options.durable)}`);
    if (options.filterSubjects.length === 0) throw new Error('consume needs at least one filter subject');
    const logger = options.logger ?? consoleLogger;
    const policy = deliveryPolicy(options, async (subject, letter) => this.publishCore(subject, letter.payload, deadLetterHeaders(letter)), logger);
    let state = this.durables.get(options.durable);
    if (!state) {
      state = {
        filterSubjects: [...options.filterSubjects],
        nextSeq: options.deliverPolicy === 'new' ? this.lastSeq + 1 : this.firstSeq,
        pending: new Map(),
        active: false,
      };
      this.durables.set(options.durable, state);
    }
    if (state.active) throw new Error(`Durable ${options.durable} is already being consumed in this process`);
    state.active = true;
    state.filterSubjects = [...options.filterSubjects];
    const consumer = new InProcessConsumer(this, options.durable, state, policy, options.maxAckPending ?? 1, logger);
    this.consumers.add(consumer);
    void consumer.stopped.then(() => this.consumers.delete(consumer));
    return consumer;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.consumers].map((c) => c.stop()));
  }

  /** Core (not stored) publish/subscribe, e.g. `dlq.<durable>` notices. */
  subscribe(subjectFilter: string, listener: CoreListener): () => void {
    const entry = { filter: subjectFilter, listener };
    this.coreListeners.add(entry);
    return () => this.coreListeners.delete(entry);
  }

  publishCore(subject: string, data: Uint8Array, headers: Readonly<Record<string, string>>): void {
    for (const { filter, listener } of this.coreListeners) {
      if (subjectMatches(filter, subject)) listener(subject, data, headers);
    }
  }

  /** Removes one message, as an operator (or a broker losing data) would. */
  deleteMessage(seq: number): boolean {
    const deleted = this.messages.delete(seq);
    while (this.firstSeq <= this.lastSeq && !this.messages.has(this.firstSeq)) this.firstSeq++;
    return deleted;
  }

  /** Forgets everything from `seq` on, sequences and msg ids included: what a broker crash before fsync does. */
  truncateFrom(seq: number): void {
    for (let s = Math.max(seq, 1); s <= this.lastSeq; s++) {
      const message = this.messages.get(s);
      if (message) this.dedup.delete(message.msgId);
      this.messages.delete(s);
    }
    this.lastSeq = Math.min(this.lastSeq, Math.max(seq - 1, 0));
    if (this.firstSeq > this.lastSeq) this.firstSeq = this.lastSeq + 1;
    for (const state of this.durables.values()) {
      if (state.nextSeq > this.lastSeq + 1) state.nextSeq = this.lastSeq + 1;
      for (const pendingSeq of [...state.pending.keys()]) if (pendingSeq > this.lastSeq) state.pending.delete(pendingSeq);
    }
  }

  /** @internal */
  append(message: OutgoingMessage): PublishAck {
    const now = this.now();
    const earlier = this.dedup.get(message.msgId);
    if (earlier && now - earlier.at < this.duplicateWindowMs) return { seq: earlier.seq, duplicate: true };
    const seq = ++this.lastSeq;
    if (this.messages.size === 0) this.firstSeq = seq;
    this.messages.set(seq, {
      seq,
      subject: message.subject,
      headers: { ...message.headers, 'Nats-Msg-Id': message.msgId },
      data: message.data.slice(),
      msgId: message.msgId,
      storedAt: now,
    });
    this.dedup.set(message.msgId, { seq, at: now });
    if (this.dedup.size > 10_000) this.pruneDedup(now);
    if (++this.appendsSinceRetentionCheck >= RETENTION_CHECK_EVERY) {
      this.appendsSinceRetentionCheck = 0;
      this.dropDelivered(now);
    }
    this.wakeConsumers();
    return { seq, duplicate: false };
  }

  /** @internal */
  state(): StreamState {
    return { firstSeq: this.firstSeq, lastSeq: this.lastSeq, messages: this.messages.size };
  }

  /** @internal */
  get(seq: number): StoredMessage | null {
    const stored = this.messages.get(seq);
    return stored ? { seq: stored.seq, subject: stored.subject, headers: stored.headers, data: stored.data } : null;
  }

  /** @internal */
  last(filter: string): StoredMessage | null {
    for (let seq = this.lastSeq; seq >= this.firstSeq; seq--) {
      const stored = this.messages.get(seq);
      if (stored && subjectMatches(filter, stored.subject)) return this.get(seq);
    }
    return null;
  }

  /** @internal The next message at or after `seq` that matches one of the filters. */
  nextMatching(seq: number, filters: readonly string[]): Stored | undefined {
    for (let s = Math.max(seq, this.firstSeq); s <= this.lastSeq; s++) {
      const stored = this.messages.get(s);
      if (stored && filters.some((f) => subjectMatches(f, stored.subject))) return stored;
    }
    return undefined;
  }

  /** @internal */
  stored(seq: number): Stored | undefined {
    return this.messages.get(seq);
  }

  /** @internal */
  onWake(waker: () => void): () => void {
    this.wakers.add(waker);
    return () => this.wakers.delete(waker);
  }

  private wakeConsumers(): void {
    for (const wake of [...this.wakers]) wake();
  }

  /**
   * Drops, from the oldest, the messages older than the retention that no durable still needs: below
   * every durable's next sequence and not pending (unacknowledged) anywhere. A durable that stopped
   * keeps its messages, as a JetStream durable does.
   */
  private dropDelivered(now: number): void {
    let floor = Number.POSITIVE_INFINITY;
    for (const durable of this.durables.values()) {
      floor = Math.min(floor, durable.nextSeq);
      for (const seq of durable.pending.keys()) floor = Math.min(floor, seq);
    }
    while (this.firstSeq <= this.lastSeq && this.firstSeq < floor) {
      const message = this.messages.get(this.firstSeq);
      if (message !== undefined && now - message.storedAt < this.retentionMs) break;
      this.messages.delete(this.firstSeq);
      this.firstSeq++;
    }
  }

  private pruneDedup(now: number): void {
    for (const [id, entry] of this.dedup) {
      if (now - entry.at >= this.duplicateWindowMs) this.dedup.delete(id);
    }
  }
}

class InProcessPublisher implements EventPublisher {
  readonly stream: string;
  private closed = false;

  constructor(private readonly bus: InProcessEventBus) {
    this.stream = bus.stream;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async publishBatch(messages: readonly OutgoingMessage[]): Promise<PublishAck[]> {
    if (this.closed) throw new Error('Publisher is closed');
    return messages.map((message) => this.bus.append(message));
  }

  async streamState(): Promise<StreamState> {
    return this.bus.state();
  }

  async getMessage(seq: number): Promise<StoredMessage | null> {
    return this.bus.get(seq);
  }

  async lastMessage(subjectFilter: string): Promise<StoredMessage | null> {
    return this.bus.last(subjectFilter);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

class InProcessConsumer implements DurableConsumer {
  readonly stopped: Promise<void>;
  private stopping = false;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly bus: InProcessEventBus,
    readonly durable: string,
    private readonly state: DurableState,
    private readonly policy: DeliveryPolicy,
    private readonly maxAckPending: number,
    private readonly logger: DeliveryPolicy['logger'],
  ) {
    this.stopped = this.run().finally(() => {
      this.state.active = false;
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.stopped;
  }

  private async run(): Promise<void> {
    const unsubscribe = this.bus.onWake(() => this.wake?.());
    try {
      while (!this.stopping) {
        const seq = this.pickNext();
        if (seq === undefined) {
          await this.sleepUntilSomethingIsDue();
          continue;
        }
        await this.deliver(seq);
        // Let timers and I/O run between messages, as a network consumer would.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      unsubscribe();
      clearTimeout(this.timer);
    }
  }

  /** A due redelivery first (lowest sequence), else the next new message if the ack window allows. */
  private pickNext(): number | undefined {
    const now = Date.now();
    let due: number | undefined;
    for (const [seq, pending] of this.state.pending) {
      if (!this.bus.stored(seq)) {
        this.state.pending.delete(seq); // removed from the stream meanwhile
        continue;
      }
      if (pending.redeliverAt !== undefined && pending.redeliverAt <= now && (due === undefined || seq < due)) due = seq;
    }
    if (due !== undefined) return due;
    if (this.state.pending.size >= this.maxAckPending) return undefined;
    const next = this.bus.nextMatching(this.state.nextSeq, this.state.filterSubjects);
    if (!next) {
      // Nothing after nextSeq is for this durable: it has no claim on those messages (retention).
      this.state.nextSeq = Math.max(this.state.nextSeq, this.bus.state().lastSeq + 1);
      return undefined;
    }
    this.state.nextSeq = next.seq + 1;
    this.state.pending.set(next.seq, { deliveries: 0, redeliverAt: now });
    return next.seq;
  }

  private sleepUntilSomethingIsDue(): Promise<void> {
    let earliest: number | undefined;
    for (const pending of this.state.pending.values()) {
      if (pending.redeliverAt !== undefined && (earliest === undefined || pending.redeliverAt < earliest)) earliest = pending.redeliverAt;
    }
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(this.timer);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      if (earliest !== undefined) this.timer = setTimeout(done, Math.max(0, earliest - Date.now()));
    });
  }

  private async deliver(seq: number): Promise<void> {
    const stored = this.bus.stored(seq);
    const pending = this.state.pending.get(seq);
    if (!stored || !pending) return;
    pending.deliveries++;
    pending.redeliverAt = undefined;
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      return true;
    };
    const delivery: RawDelivery = {
      consumer: this.durable,
      stream: this.bus.stream,
      subject: stored.subject,
      streamSequence: seq,
      deliveryCount: pending.deliveries,
      redelivered: pending.deliveries > 1,
      headers: stored.headers,
      data: stored.data,
      ack: () => {
        if (settle()) this.state.pending.delete(seq);
      },
      term: () => {
        if (settle()) this.state.pending.delete(seq);
      },
      nak: (delayMs) => {
        if (settle()) pending.redeliverAt = Date.now() + Math.max(0, delayMs);
      },
    };
    try {
      await processDelivery(delivery, this.policy);
    } catch (error) {
      this.logger.error('unexpected failure settling a message', { consumer: this.durable, error: errorMessage(error) });
      delivery.nak(this.policy.backoffMs[0] ?? 0);
    }
    // An unsettled delivery is redelivered at once, as JetStream would after ack_wait.
    if (!settled) pending.redeliverAt = Date.now();
  }
}
