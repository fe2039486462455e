import type { RecordedEvent } from '@haidang/event-store';
import type { DeadLetterSink } from '../dead-letters';
import type { MessagingLogger } from '../logger';

/**
 * The port between the relay/consumers and the broker. JetStream implements it for real
 * deployments, the in-process bus for the embedded default (no NATS_URL); both pass
 * `describeEventBusContract`.
 */
export interface EventBus {
  /** The stream (JetStream stream name) messages are stored in. */
  readonly stream: string;
  /**
   * False when the stream lives only as long as this process (the in-process bus): a publisher
   * that finds it behind its checkpoint after a restart is then doing the expected, not recovering
   * from a loss, and says so quietly.
   */
  readonly persistent: boolean;
  /**
   * A publishing session. It ends for good when its connection is lost (no reconnect, no buffered
   * re-send): what reached the broker is then a prefix of what was published, which keeps the log
   * order; the caller opens a new session and checks what the broker still holds.
   */
  openPublisher(): Promise<EventPublisher>;
  /** Each durable and whether a session of it is open now (readiness); absent: always live. */
  consumerHealth?(): ReadonlyArray<{ readonly durable: string; readonly live: boolean }>;
  /** Lost streams and durables made again since the bus opened (a metric); absent: never. */
  recreations?(): { readonly stream: number; readonly consumer: number };
  /** A durable consumer: its position survives restarts of the consumer. */
  consume(options: DurableConsumerOptions): Promise<DurableConsumer>;
  close(): Promise<void>;
}

export interface OutgoingMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  /** De-duplication key (JetStream `Nats-Msg-Id`). */
  readonly msgId: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface PublishAck {
  /** The stream sequence of the stored message (for a duplicate, the sequence of the original). */
  readonly seq: number;
  readonly duplicate: boolean;
}

export interface StoredMessage {
  readonly seq: number;
  readonly subject: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
}

export interface StreamState {
  /** Sequence of the oldest message still held; lastSeq + 1 when empty. */
  readonly firstSeq: number;
  /** Sequence of the newest message ever stored (0 when nothing was ever stored). */
  readonly lastSeq: number;
  readonly messages: number;
}

export interface EventPublisher {
  readonly stream: string;
  /**
   * Publishes in order, many in flight, and resolves with one ack per message, in order. Rejects
   * when any message is refused, times out or the session ends; the session is then unusable.
   */
  publishBatch(messages: readonly OutgoingMessage[]): Promise<PublishAck[]>;
  streamState(): Promise<StreamState>;
  getMessage(seq: number): Promise<StoredMessage | null>;
  /** The newest message whose subject matches `subjectFilter` (wildcards allowed). */
  lastMessage(subjectFilter: string): Promise<StoredMessage | null>;
  /** True once closed or its connection was lost. */
  readonly isClosed: boolean;
  close(): Promise<void>;
}

export interface DeliveryInfo {
  readonly consumer: string;
  readonly stream: string;
  readonly subject: string;
  readonly streamSequence: number;
  /** 1 on the first delivery. */
  readonly deliveryCount: number;
  readonly redelivered: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

/** Throw to have the message redelivered later (with back-off); return to acknowledge it. */
export type EventHandler = (event: RecordedEvent, delivery: DeliveryInfo) => Promise<void> | void;

export interface DurableConsumerOptions {
  /** Durable name: also names the dead-letter subject `dlq.<durable>`. No dots, wildcards or spaces. */
  readonly durable: string;
  /** Subjects to receive (wildcards allowed). More than one needs nats-server 2.10+ on JetStream. */
  readonly filterSubjects: readonly string[];
  readonly handler: EventHandler;
  /** Where a message goes after its last failed attempt. Required: a message is never silently dropped. */
  readonly deadLetters: DeadLetterSink;
  /** Attempts before a message is dead-lettered (default 5). */
  readonly maxDeliver?: number;
  /** Delay before redelivery after the n-th failure: backoffMs[n-1], the last value repeating (default 1 s, 5 s, 15 s, 30 s). */
  readonly backoffMs?: readonly number[];
  /**
   * Delivered-but-unacknowledged messages at a time (default 1). At 1 a failing message holds back
   * those after it until it succeeds or is dead-lettered, so the handler sees the stream's order;
   * raise it only for a handler that does not care about order (more throughput).
   */
  readonly maxAckPending?: number;
  /** How long the broker waits for an ack before redelivering (default 30 s); a slow handler keeps its message alive. */
  readonly ackWaitMs?: number;
  /** Where a new durable starts (default 'all': the whole stream). Ignored for an existing durable. */
  readonly deliverPolicy?: 'all' | 'new';
  /** Default `dlq.<durable>`. */
  readonly deadLetterSubject?: string;
  readonly logger?: MessagingLogger;
}

export interface DurableConsumer {
  readonly durable: string;
  /** Stops taking messages, lets the handler in progress finish and be acknowledged, then resolves. */
  stop(): Promise<void>;
  /** Resolves when the consumer has stopped (by stop() or because its subscription ended). */
  readonly stopped: Promise<void>;
  /**
   * True while a session is open and taking messages; false while it waits for the broker or for a
   * missing stream or durable to be made again. Absent: always live (the in-process bus).
   */
  isLive?(): boolean;
}

export const DEFAULT_BACKOFF_MS: readonly number[] = [1_000, 5_000, 15_000, 30_000];
export const DEFAULT_MAX_DELIVER = 5;
