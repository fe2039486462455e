import type { Pool } from 'pg';
import { Registry } from 'prom-client';
import type { EventBus, EventPublisher, OutgoingMessage, PublishAck } from '../bus/event-bus';
import { AdvisoryLockSession } from '../leadership/advisory-lock-session';
import { LeaderLoop, type Leadership } from '../leadership/leader-loop';
import { consoleLogger, errorMessage, type MessagingLogger } from '../logger';
import { isValidSubjectToken } from '../subjects';
import { OutboxLockConnection, type PendingOutboxRow } from './outbox-lock';
import { outboxMetrics, type OutboxBacklog, type OutboxMetrics } from './outbox-metrics';

export interface OutboxBatch {
  readonly ids: readonly string[];
  readonly acks: readonly PublishAck[];
}

/** Failure-drill points. A hook that throws fails the batch before it is marked published. */
export interface OutboxHooks {
  afterPublish?(batch: OutboxBatch): Promise<void> | void;
}

export interface OutboxPublisherOptions {
  /** The database that holds `messaging_outbox` (the service's own). */
  readonly pool: Pool;
  readonly bus: EventBus;
  /** Publishes this service's rows only; also the lock key. */
  readonly service: string;
  /** Rows published per batch, all in flight at once (default 500). */
  readonly batchSize?: number;
  /** How often to look for new rows when the last look found none (default 200 ms). */
  readonly pollIntervalMs?: number;
  /** How often a standby tries to take the lock (default 1000 ms). */
  readonly lockRetryMs?: number;
  /** Back-off between failed publishing sessions (default 100 ms doubling to 5 s). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Published rows older than this are deleted, at most once a minute (default 7 days; 0 keeps them). */
  readonly retainPublishedMs?: number;
  readonly registry?: Registry;
  readonly logger?: MessagingLogger;
  readonly hooks?: OutboxHooks;
}

export type OutboxPublisherStatus = 'stopped' | 'standby' | 'active';

const BACKLOG_SQL = `SELECT count(*)::int AS pending,
    COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest
  FROM messaging_outbox WHERE service = $1 AND published_at IS NULL`;

const PRUNE_SQL = `DELETE FROM messaging_outbox WHERE service = $2 AND published_at IS NOT NULL AND published_at < now() - make_interval(secs => $1::float8 / 1000)`;
const PRUNE_EVERY_MS = 60_000;

/**
 * Drains one service's outbox to the bus, at least once, in order (source position, then insertion
 * order), with `Nats-Msg-Id` = the row id so the broker drops what it already holds.
 *
 * No cursor: each batch takes the oldest unpublished rows, so a row whose transaction commits late
 * is published at the next look and never skipped. Rows are marked published (with the acked
 * stream sequence) only after every ack of their batch: a publisher that dies in between re-sends
 * the batch, which JetStream de-duplicates within its duplicate window (2 minutes by default).
 *
 * One publisher per service is active: it holds a PostgreSQL session advisory lock on a dedicated
 * connection (class `OUTBOX_LOCK_CLASS`, key the service) and reads and marks rows through it; the
 * others stand by and try the lock every `lockRetryMs`.
 */
export class OutboxPublisher {
  readonly service: string;
  private readonly options: OutboxPublisherOptions;
  private readonly logger: MessagingLogger;
  private readonly metrics: OutboxMetrics;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retainPublishedMs: number;
  private readonly loop: LeaderLoop<OutboxLockConnection>;
  private currentPublisher: EventPublisher | undefined;
  private unregisterBacklog: (() => void) | undefined;
  private lastPruneAt = 0;

  constructor(options: OutboxPublisherOptions) {
    if (!isValidSubjectToken(options.service)) throw new Error(`Invalid service name ${JSON.stringify(options.service)}`);
    this.options = options;
    this.service = options.service;
    this.logger = options.logger ?? consoleLogger;
    this.metrics = outboxMetrics(options.registry ?? new Registry());
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.retainPublishedMs = options.retainPublishedMs ?? 7 * 24 * 3_600_000;
    const makeClient = AdvisoryLockSession.clientFactory(options.pool, `haidang-outbox:${this.service}`);
    this.loop = new LeaderLoop({
      openSession: () => OutboxLockConnection.open(makeClient, this.service),
      lead: (lock, leadership) => this.lead(lock, leadership),
      lockRetryMs: options.lockRetryMs ?? 1000,
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      logger: this.logger,
      logContext: { service: this.service },
      messages: {
        active: 'outbox publisher active',
        unreachable: 'outbox publisher cannot reach PostgreSQL for its lock',
        // A broker restart fails a session or two; one that keeps failing holds every later message
        // back, and is logged as an error.
        leadFailed: 'outbox publishing session failed; retrying',
        leadershipError: 'outbox leadership ended with an error',
        lost: 'outbox publisher lost its lock session; standing by',
      },
      onStatus: (status) => {
        this.metrics.active.set({ service: this.service }, status === 'active' ? 1 : 0);
        if (status === 'stopped') this.unregisterBacklog?.();
      },
      onLeadFailure: () => this.metrics.failures.inc({ service: this.service }),
    });
  }

  /** Starts in the background: standby until the lock is taken. Idempotent. */
  start(): void {
    if (this.loop.isRunning) return;
    this.unregisterBacklog = this.metrics.registerBacklogProbe(this.service, () => this.backlog());
    this.loop.start();
  }

  /** Finishes the batch in flight (publish and mark), releases the lock, resolves when stopped. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Stops as a crash would: lock session and broker connection dropped, the batch in flight not marked. For failure drills. */
  async abort(): Promise<void> {
    const stopped = this.loop.abort();
    await this.currentPublisher?.close().catch(() => undefined);
    await stopped;
  }

  status(): OutboxPublisherStatus {
    return this.loop.status;
  }

  /** Unpublished rows of this service and the age of the oldest. */
  async backlog(): Promise<OutboxBacklog> {
    const { rows } = await this.options.pool.query<{ pending: number; oldest: number }>(BACKLOG_SQL, [this.service]);
    return { pending: rows[0]?.pending ?? 0, oldestAgeSeconds: rows[0]?.oldest ?? 0 };
  }

  /** One publishing session on a broker connection of its own; a failed one is retried by the loop with back-off. */
  private async lead(lock: OutboxLockConnection, leadership: Leadership): Promise<void> {
    let publisher: EventPublisher | undefined;
    try {
      publisher = await this.options.bus.openPublisher();
      this.currentPublisher = publisher;
      await this.session(lock, publisher, leadership);
    } finally {
      this.currentPublisher = undefined;
      await publisher?.close().catch(() => undefined);
    }
  }

  /**
   * At the start of every session, as the relay does: the newest of this service's messages the
   * stream still holds must be the newest row it acknowledged. If the stream lost messages it had
   * acknowledged (nats-server 2.9 acks before fsync; an in-process stream lives only as long as its
   * process) the rows after what it still holds are published again; consumers dedupe on ids.
   */
  private async resendLost(lock: OutboxLockConnection, publisher: EventPublisher): Promise<void> {
    const newestRow = await lock.newestPublished(this.service, publisher.stream);
    if (!newestRow) return;
    const filter = `${newestRow.subject.split('.').slice(0, -2).join('.')}.>`;
    const held = await publisher.lastMessage(filter);
    // The stream's own sequence of what it holds: the held message may be a row published but not
    // yet marked (a crash between the ack and the mark), which a lookup among marked rows would miss.
    if (held && held.seq >= newestRow.seq) return;
    if (!held) {
      const state = await publisher.streamState();
      // Our messages left the stream by its retention (age) or a purge, not by a loss.
      if (newestRow.seq < state.firstSeq && state.lastSeq >= newestRow.seq) return;
    }
    const resent = await lock.markUnpublishedAfter(this.service, publisher.stream, held ? held.seq : null);
    const log = this.options.bus.persistent ? this.logger.warn : this.logger.info;
    log.call(this.logger, 'stream is behind the outbox; publishing again', { service: this.service, stream: publisher.stream, rows: resent });
  }

  private async session(lock: OutboxLockConnection, publisher: EventPublisher, leadership: Leadership): Promise<void> {
    await this.resendLost(lock, publisher);
    while (!leadership.signal.aborted && !lock.isLost) {
      if (publisher.isClosed) throw new Error('connection to the broker lost');
      await this.pruneIfDue(lock);
      const rows = await lock.pending(this.service, this.batchSize);
      if (rows.length === 0) {
        await leadership.sleep(this.pollIntervalMs);
        continue;
      }
      const ids = rows.map((row) => row.id);
      let acks: PublishAck[];
      try {
        acks = await publisher.publishBatch(rows.map(toMessage));
        await this.options.hooks?.afterPublish?.({ ids, acks });
      } catch (error) {
        await lock.recordFailure(ids, errorMessage(error)).catch(() => undefined);
        throw error;
      }
      await lock.markPublished(
        ids,
        publisher.stream,
        acks.map((ack) => ack.seq),
      );
      this.metrics.published.inc({ service: this.service }, rows.length);
      leadership.progressed();
    }
  }

  private async pruneIfDue(lock: OutboxLockConnection): Promise<void> {
    if (this.retainPublishedMs <= 0 || Date.now() - this.lastPruneAt < PRUNE_EVERY_MS) return;
    this.lastPruneAt = Date.now();
    await this.options.pool.query(PRUNE_SQL, [this.retainPublishedMs, this.service]).catch((error: unknown) => {
      if (!lock.isLost) this.logger.warn('outbox prune failed', { service: this.service, error: errorMessage(error) });
    });
  }
}

function toMessage(row: PendingOutboxRow): OutgoingMessage {
  return { subject: row.subject, data: new Uint8Array(row.payload), msgId: row.id, headers: { ...row.headers, 'Nats-Msg-Id': row.id } };
}
