import { APPENDED_CHANNEL, comparePositions, formatPosition, parsePosition, START, type Position, type RecordedEvent } from '@haidang/event-store';
import type { Pool } from 'pg';
import { Registry } from 'prom-client';
import type { EventBus, EventPublisher, OutgoingMessage, PublishAck, StoredMessage } from '../bus/event-bus';
import { encodeEvent, EventHeaders, eventHeaders } from '../event-codec';
import { AdvisoryLockSession } from '../leadership/advisory-lock-session';
import { LeaderLoop, type Leadership } from '../leadership/leader-loop';
import { consoleLogger, type MessagingLogger } from '../logger';
import { aggregateOfStream, serviceSubjectFilter, subjectForEvent } from '../subjects';
import { INITIAL_CHECKPOINT, RelayLockConnection } from './relay-lock';
import { relayMetrics, type RelayMetrics } from './relay-metrics';

/** What the relay reads: `PostgresEventStore` has it. */
export interface RelayEventSource {
  /** Committed events after `after`, in log order, at most `maxCount`. */
  readAllPage(after: Position, maxCount: number): Promise<RecordedEvent[]>;
}

export interface RelayBatch {
  readonly events: readonly RecordedEvent[];
  readonly acks: readonly PublishAck[];
}

/** Failure-drill points. A hook that throws fails the batch before its checkpoint is written. */
export interface RelayHooks {
  afterPublish?(batch: RelayBatch): Promise<void> | void;
}

export interface EventRelayOptions {
  /** Names the subjects: `<prefix>.<service>.<Aggregate>.<EventType>`. */
  readonly service: string;
  readonly store: RelayEventSource;
  /** The store's database: the checkpoint table, the leadership lock and the lag metric live there. */
  readonly pool: Pool;
  readonly bus: EventBus;
  /** Checkpoint and lock key (default: the service). */
  readonly relayId?: string;
  /** Default `evt`. */
  readonly subjectPrefix?: string;
  /**
   * Publish only the events of these aggregates (stream name up to its first `-`); the others are
   * read and passed over. For databases that hold more than one service's streams (the embedded
   * default); a deployed service has a database of its own and needs no filter.
   */
  readonly aggregates?: readonly string[];
  /** Events read and published per batch, all in flight at once (default 1000). */
  readonly batchSize?: number;
  /** How often to look for new events when no append notification arrives (default 500 ms). */
  readonly pollIntervalMs?: number;
  /** How often a standby tries to take the lock (default 1000 ms). */
  readonly lockRetryMs?: number;
  /** Back-off between failed publishing sessions (default 100 ms doubling to 5 s). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  readonly registry?: Registry;
  readonly logger?: MessagingLogger;
  readonly hooks?: RelayHooks;
}

export type RelayStatus = 'stopped' | 'standby' | 'active';

const LAG_CAP = 1_000_000;
const LAG_SQL = `SELECT count(*)::int AS lag FROM (
    SELECT 1 FROM es_events e
     WHERE (e.transaction_id, e.global_position) >
           (COALESCE((SELECT position_commit FROM messaging_relay_checkpoints WHERE relay_id = $1), '0'::xid8),
            COALESCE((SELECT position_prepare FROM messaging_relay_checkpoints WHERE relay_id = $1), 0))
       AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       AND ($2::text[] IS NULL OR split_part(e.stream_name, '-', 1) = ANY($2::text[]))
     LIMIT ${LAG_CAP}) behind`;

/**
 * The outbox relay of one service's event store (invariant 1). It follows the committed log from
 * its own checkpoint and publishes every event, in log order, with `Nats-Msg-Id = eventId`;
 * the checkpoint (with the stream sequence reached) moves only after every ack of a batch, so a
 * crash re-sends at most one batch and the broker drops the duplicates.
 *
 * One relay per store is active: it holds a PostgreSQL session advisory lock on a dedicated
 * connection; the others stand by and try the lock every `lockRetryMs`. The checkpoint is written
 * on that same connection, so a relay that lost its session cannot move it any more.
 *
 * At the start of every publishing session (every (re)connect) the relay looks for the newest of
 * its own messages in the stream. If that is older than its checkpoint, the broker lost
 * acknowledged messages (nats-server 2.9 acks before fsync) and the relay re-sends from there.
 */
export class EventRelay {
  readonly relayId: string;
  private readonly options: EventRelayOptions;
  private readonly logger: MessagingLogger;
  private readonly metrics: RelayMetrics;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly subjectFilter: string;
  private readonly loop: LeaderLoop<RelayLockConnection>;
  private currentPublisher: EventPublisher | undefined;
  private unregisterLag: (() => void) | undefined;

  constructor(options: EventRelayOptions) {
    this.options = options;
    this.relayId = options.relayId ?? options.service;
    this.logger = options.logger ?? consoleLogger;
    this.metrics = relayMetrics(options.registry ?? new Registry());
    this.batchSize = options.batchSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    const prefix = options.subjectPrefix === undefined ? {} : { prefix: options.subjectPrefix };
    this.subjectFilter = serviceSubjectFilter(options.service, prefix);
    const makeClient = AdvisoryLockSession.clientFactory(options.pool, `haidang-relay:${this.relayId}`);
    this.loop = new LeaderLoop({
      openSession: () => RelayLockConnection.open(makeClient, this.relayId),
      onLocked: (lock) => lock.listen(APPENDED_CHANNEL),
      lead: (lock, leadership) => this.lead(lock, leadership),
      lockRetryMs: options.lockRetryMs ?? 1000,
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      logger: this.logger,
      logContext: { relay: this.relayId },
      messages: {
        active: 'relay active',
        unreachable: 'relay cannot reach PostgreSQL for its lock',
        // A broker restart fails a session or two; one that keeps failing (broker gone, an event the
        // broker refuses) holds every later event back, and is logged as an error.
        leadFailed: 'relay session failed; retrying',
        leadershipError: 'relay leadership ended with an error',
        lost: 'relay lost its lock session; standing by',
      },
      onStatus: (status) => {
        this.metrics.active.set({ relay: this.relayId }, status === 'active' ? 1 : 0);
        if (status === 'stopped') this.unregisterLag?.();
      },
      onLeadFailure: () => this.metrics.failures.inc({ relay: this.relayId }),
    });
  }

  get status(): RelayStatus {
    return this.loop.status;
  }

  /** Starts following the store in the background: standby until the lock is taken. Idempotent. */
  start(): void {
    if (this.loop.isRunning) return;
    this.unregisterLag = this.metrics.registerLagProbe(this.relayId, () => this.lag());
    this.loop.start();
  }

  /** Finishes the batch in flight (publish and checkpoint), releases the lock, resolves when stopped. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * Stops as a crash would: the lock session and the NATS connection are dropped at once, the
   * batch in flight is not checkpointed. For failure drills.
   */
  async abort(): Promise<void> {
    const stopped = this.loop.abort();
    await this.currentPublisher?.close().catch(() => undefined);
    await stopped;
  }

  /** Committed events not yet relayed (capped at 1,000,000). */
  async lag(): Promise<number> {
    // Only the relay's own aggregates count as behind (other services' streams in a shared database are not its to publish).
    const { rows } = await this.options.pool.query<{ lag: number }>(LAG_SQL, [this.relayId, this.options.aggregates ?? null]);
    return rows[0]?.lag ?? 0;
  }

  /** One publishing session on a connection of its own; a failed one is retried by the loop with back-off. */
  private async lead(lock: RelayLockConnection, leadership: Leadership): Promise<void> {
    let publisher: EventPublisher | undefined;
    try {
      publisher = await this.options.bus.openPublisher();
      this.currentPublisher = publisher;
      await this.relaySession(lock, publisher, leadership);
    } finally {
      this.currentPublisher = undefined;
      await publisher?.close().catch(() => undefined);
    }
  }

  private async relaySession(lock: RelayLockConnection, publisher: EventPublisher, leadership: Leadership): Promise<void> {
    let cursor = await this.resumePosition(lock, publisher);
    let wake = lock.nextWakeUp();
    let next = this.readPage(cursor);
    try {
      while (!leadership.signal.aborted && !lock.isLost) {
        if (publisher.isClosed) throw new Error('connection to the broker lost');
        const read = await next;
        const lastRead = read[read.length - 1];
        const page = this.owned(read);
        const last = page[page.length - 1];
        if (lastRead && !last) {
          // Nothing of ours in this page: move on without a checkpoint. The checkpoint stays at our
          // newest published event, which is what the loss check on reconnect compares with.
          next = this.readPage(lastRead.position);
          cursor = lastRead.position;
          continue;
        }
        if (!last || !lastRead) {
          // Until an append is notified, the poll interval passes, or we are stopped.
          await leadership.sleep(this.pollIntervalMs, wake.promise);
          wake = lock.nextWakeUp();
          next = this.readPage(cursor);
          continue;
        }
        // Read the next page while this one is published: reads see only committed events below
        // the oldest open transaction, so reading ahead cannot skip anything.
        wake.cancel();
        wake = lock.nextWakeUp();
        next = this.readPage(lastRead.position);
        const acks = await publisher.publishBatch(page.map((event) => this.toMessage(event)));
        await this.options.hooks?.afterPublish?.({ events: page, acks });
        const lastAck = acks[acks.length - 1] as PublishAck;
        await lock.saveCheckpoint(this.relayId, { position: last.position, lastEventId: last.id, stream: publisher.stream, streamSequence: lastAck.seq });
        this.metrics.relayed.inc({ relay: this.relayId }, page.length);
        this.metrics.checkpointSequence.set({ relay: this.relayId }, lastAck.seq);
        cursor = lastRead.position;
        leadership.progressed();
      }
    } finally {
      wake.cancel();
    }
  }

  /**
   * Where this session starts. Normally the checkpoint; earlier when the stream no longer holds
   * what the checkpoint says was acknowledged. Messages are published in log order over
   * connections that never re-send, so what the stream holds of ours is a prefix of the log, and
   * the newest of them (its position header) says where the loss begins.
   */
  private async resumePosition(lock: RelayLockConnection, publisher: EventPublisher): Promise<Position> {
    const checkpoint = (await lock.readCheckpoint(this.relayId)) ?? INITIAL_CHECKPOINT(publisher.stream);
    const newest = await publisher.lastMessage(this.subjectFilter);
    const newestPosition = newest ? positionHeader(newest) : undefined;
    const initial = checkpoint.streamSequence === 0 && checkpoint.lastEventId === null;
    // A first session that published before any checkpoint was saved: the same rule as below.
    if (initial && !newestPosition) return checkpoint.position;
    const sameStream = initial || checkpoint.stream === publisher.stream;
    if (sameStream && newestPosition && comparePositions(newestPosition, checkpoint.position) >= 0) {
      // The stream holds more of ours than the checkpoint says (published, then the checkpoint write
      // failed, possibly for longer than the duplicate window): go on after what it holds, once the
      // newest message is known to be this store's event at that position (not a stream left over
      // from another database).
      const newestId = newest?.headers[EventHeaders.MsgId];
      if (comparePositions(newestPosition, checkpoint.position) > 0 && newest && newestId && (await this.storeHolds(newestId, newestPosition))) {
        this.logger.info('stream is ahead of the relay checkpoint; resuming after its newest message', {
          relay: this.relayId,
          stream: publisher.stream,
          checkpoint: formatPosition(checkpoint.position),
          resumeAfter: formatPosition(newestPosition),
        });
        await lock.saveCheckpoint(this.relayId, { position: newestPosition, lastEventId: newestId, stream: publisher.stream, streamSequence: newest.seq });
        return newestPosition;
      }
      return checkpoint.position;
    }
    if (initial) return checkpoint.position;

    const state = await publisher.streamState();
    if (sameStream && !newest && checkpoint.streamSequence < state.firstSeq && state.lastSeq >= checkpoint.streamSequence) {
      // Our messages left the stream by retention (max age) or a purge, not by a loss: nothing to re-send.
      return checkpoint.position;
    }
    const from = newestPosition && comparePositions(newestPosition, checkpoint.position) < 0 ? newestPosition : START;
    const log = this.options.bus.persistent ? this.logger.warn : this.logger.info;
    log.call(
      this.logger,
      this.options.bus.persistent ? 'stream is behind the relay checkpoint; re-sending' : 'new in-process stream; publishing the log again',
      {
        relay: this.relayId,
        stream: publisher.stream,
        streamLastSequence: state.lastSeq,
        recordedSequence: checkpoint.streamSequence,
        recordedStream: checkpoint.stream,
        checkpoint: formatPosition(checkpoint.position),
        resendFrom: formatPosition(from),
      },
    );
    this.metrics.resends.inc({ relay: this.relayId });
    await lock.saveCheckpoint(this.relayId, {
      position: from,
      lastEventId: from === START ? null : (newest?.headers[EventHeaders.MsgId] ?? null),
      stream: publisher.stream,
      streamSequence: from === START ? 0 : (newest?.seq ?? 0),
    });
    return from;
  }

  /** Whether the store's log has this event at this position. */
  private async storeHolds(eventId: string, position: Position): Promise<boolean> {
    const { rows } = await this.options.pool.query<{ held: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM es_events WHERE event_id = $1::uuid AND global_position = $2 AND transaction_id = $3::text::xid8) AS held',
      [eventId, position.prepare.toString(), position.commit.toString()],
    );
    return rows[0]?.held === true;
  }

  private owned(events: RecordedEvent[]): RecordedEvent[] {
    const aggregates = this.options.aggregates;
    if (aggregates === undefined) return events;
    return events.filter((event) => aggregates.includes(aggregateOfStream(event.streamId)));
  }

  private readPage(after: Position): Promise<RecordedEvent[]> {
    const page = this.options.store.readAllPage(after, this.batchSize);
    page.catch(() => undefined); // awaited later; this only keeps an early rejection from counting as unhandled
    return page;
  }

  private toMessage(event: RecordedEvent): OutgoingMessage {
    const prefix = this.options.subjectPrefix === undefined ? {} : { prefix: this.options.subjectPrefix };
    return {
      subject: subjectForEvent(this.options.service, event, prefix),
      data: encodeEvent(event),
      msgId: event.id,
      headers: eventHeaders(event),
    };
  }
}

function positionHeader(message: StoredMessage): Position | undefined {
  const text = message.headers[EventHeaders.Position];
  if (!text) return undefined;
  try {
    return parsePosition(text);
  } catch {
    return undefined;
  }
}
