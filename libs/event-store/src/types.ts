/**
 * The event-store port. Its shape follows the KurrentDB (EventStoreDB) Node client —
 * appendToStream / readStream / readAll / subscribeToAll, revisions as bigint, expected-revision
 * constants — so that a KurrentDB adapter is a second implementation of this same interface and
 * passes the same contract suite (`describeEventStoreContract`).
 */

/** Expected revision of a stream when appending; an exact revision is the last event's revision. */
export const ANY = 'any' as const;
export const NO_STREAM = 'no_stream' as const;
export const STREAM_EXISTS = 'stream_exists' as const;
export type ExpectedRevision = typeof ANY | typeof NO_STREAM | typeof STREAM_EXISTS | bigint;

/**
 * A position in the global log. `commit` is the id of the PostgreSQL transaction that wrote the
 * event (xid8) and `prepare` its global sequence number: the log is ordered by (commit, prepare),
 * the only order in which a reader can never be overtaken by a slower transaction (ADR 0002).
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}
export const START: Position = Object.freeze({ commit: 0n, prepare: 0n });

/** Who did it and why: filled by the request context, carried across services (invariant 7). */
export interface EventMetadata {
  readonly actor?: string;
  readonly agency?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly commandId?: string;
  readonly [key: string]: unknown;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type EventPayload = { readonly [key: string]: unknown };

/** An event about to be appended. */
export interface EventData<TType extends string = string, TData extends EventPayload = EventPayload> {
  /** UUID v7; made by `jsonEvent` when not given. */
  readonly id?: string;
  readonly type: TType;
  readonly schemaVersion?: number;
  readonly data: TData;
  readonly metadata?: EventMetadata;
}

/** An event as stored and read back, after upcasting. */
export interface RecordedEvent<TType extends string = string, TData extends EventPayload = EventPayload> {
  readonly id: string;
  readonly type: TType;
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: Position;
  readonly created: Date;
  readonly data: TData;
  readonly metadata: EventMetadata;
}

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision;
  /**
   * A retry with the same key (within the same agency) and the same events returns the first
   * result and appends nothing. Keys are kept for the life of the store.
   */
  readonly idempotencyKey?: string;
  /** Scope of the idempotency key; defaults to the first event's `metadata.agency`. */
  readonly idempotencyScope?: string;
  /**
   * What identifies the request under its key, when its events cannot: events that carry freshly
   * encrypted fields differ on every try. Pass a keyed hash of the plain request; without it the
   * store hashes the stream name and the events' types, versions and data.
   */
  readonly idempotencyFingerprint?: string;
}

export interface AppendResult {
  readonly success: true;
  readonly nextExpectedRevision: bigint;
  /** Position of the last event appended. */
  readonly position: Position;
  /** True when this result is the stored answer to an earlier append with the same idempotency key. */
  readonly idempotentReplay: boolean;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  readonly fromRevision?: bigint | 'start' | 'end';
  readonly direction?: Direction;
  readonly maxCount?: number;
  /**
   * Check the stream's tamper-evident chain as it is read (forward reads; adapters that keep one):
   * each event's stored hash against its stored content and the hash before it, and at the end the
   * stream's recorded head. A break throws StreamIntegrityError and nothing of the page is given.
   */
  readonly verifyChain?: boolean;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. */
  readonly fromPosition?: Position;
  readonly maxCount?: number;
}

export interface SubscribeToAllOptions {
  /** Exclusive: the subscription delivers events strictly after this position. */
  readonly fromPosition?: Position;
  /** Events fetched per page while catching up; also the most held in memory (backpressure). */
  readonly batchSize?: number;
  /** How often to look for new events when no notification arrives, in milliseconds. */
  readonly pollIntervalMs?: number;
}

/** A live subscription: iterate it; the loop's pace is the subscription's pace (backpressure). */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  unsubscribe(): Promise<void>;
}

export interface EventStore {
  appendToStream(streamName: string, events: EventData | readonly EventData[], options?: AppendOptions): Promise<AppendResult>;
  readStream(streamName: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;
  /** The position of the last event a reader can see now (the head of the committed log). */
  headPosition(): Promise<Position>;
  close(): Promise<void>;
}
