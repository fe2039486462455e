import { Client, type ClientConfig, type Pool } from 'pg';
import { Registry } from 'prom-client';
import type { EventBus, EventPublisher, OutgoingMessage, PublishAck } from '../bus/event-bus';
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
  private readonly lockRetryMs: number;
  private readonly retainPublishedMs: number;
  private readonly makeClient: () => Client;
  private statusValue: OutboxPublisherStatus = 'stopped';
  private running: Promise<void> | undefined;
  private stopController = new AbortController();
  private aborting = false;
  private currentLock: OutboxLockConnection | undefined;
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
    this.lockRetryMs = options.lockRetryMs ?? 1000;
    this.retainPublishedMs = options.retainPublishedMs ?? 7 * 24 * 3_600_000;
    const config: ClientConfig = {
      ...(options.pool.options as ClientConfig),
      keepAlive: true,
      // A query that hangs (half-open connection) must fail, not hold leadership for ever.
      query_timeout: 15_000,
      application_name: `haidang-outbox:${this.service}`,
    };
    this.makeClient = () => new Client(config);
  }

  /** Starts in the background: standby until the lock is taken. Idempotent. */
  start(): void {
    if (this.running) return;
    this.stopController = new AbortController();
    this.aborting = false;
    this.unregisterBacklog = this.metrics.registerBacklogProbe(this.service, () => this.backlog());
    this.setStatus('standby');
    this.running = this.run().finally(() => {
      this.setStatus('stopped');
      this.unregisterBacklog?.();
      this.running = undefined;
    });
  }

  /** Finishes the batch in flight (publish and mark), releases the lock, resolves when stopped. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.running;
  }

  /** Stops as a crash would: lock session and broker connection dropped, the batch in flight not marked. For failure drills. */
  async abort(): Promise<void> {
    this.aborting = true;
    this.stopController.abort();
    this.currentLock?.destroy();
    await this.currentPublisher?.close().catch(() => undefined);
    await this.running;
  }

  status(): OutboxPublisherStatus {
    return this.statusValue;
  }

  /** Unpublished rows of this service and the age of the oldest. */
  async backlog(): Promise<OutboxBacklog> {
    const { rows } = await this.options.pool.query<{ pending: number; oldest: number }>(BACKLOG_SQL, [this.service]);
    return { pending: rows[0]?.pending ?? 0, oldestAgeSeconds: rows[0]?.oldest ?? 0 };
  }

  private get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  private setStatus(status: OutboxPublisherStatus): void {
    this.statusValue = status;
    this.metrics.active.set({ service: this.service }, status === 'active' ? 1 : 0);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const lock = await this.becomeLeader();
      if (!lock) return;
      this.currentLock = lock;
      this.setStatus('active');
      this.logger.info('outbox publisher active', { service: this.service });
      try {
        await this.lead(lock);
      } catch (error) {
        this.logger.error('outbox leadership ended with an error', { service: this.service, error: errorMessage(error) });
      } finally {
        this.currentLock = undefined;
        if (!this.stopping) this.setStatus('standby');
        if (this.stopping && !this.aborting) await lock.release();
        else lock.destroy();
      }
      if (!this.stopping) {
        this.logger.warn('outbox publisher lost its lock session; standing by', { service: this.service });
        // Lost, not released: give a standby with a healthy session the chance to take over first.
        await this.sleep(2 * this.lockRetryMs);
      }
    }
  }

  private async becomeLeader(): Promise<OutboxLockConnection | undefined> {
    let connection: OutboxLockConnection | undefined;
    while (!this.stopping) {
      try {
        if (!connection || connection.isLost) connection = await OutboxLockConnection.open(this.makeClient, this.service);
        if (await connection.tryLock()) return connection;
      } catch (error) {
        this.logger.warn('outbox publisher cannot reach PostgreSQL for its lock', { service: this.service, error: errorMessage(error) });
        connection?.destroy();
        connection = undefined;
      }
      await this.sleep(this.lockRetryMs);
    }
    connection?.destroy();
    return undefined;
  }

  /** Publishing sessions while we hold the lock; a failed session is retried with back-off on a new one. */
  private async lead(lock: OutboxLockConnection): Promise<void> {
    const initialMs = this.options.backoff?.initialMs ?? 100;
    const maxMs = this.options.backoff?.maxMs ?? 5_000;
    let failures = 0;
    while (!this.stopping && !lock.isLost) {
      let publisher: EventPublisher | undefined;
      try {
        publisher = await this.options.bus.openPublisher();
        this.currentPublisher = publisher;
        await this.session(lock, publisher, () => {
          failures = 0;
        });
      } catch (error) {
        if (this.stopping || lock.isLost) return;
        this.metrics.failures.inc({ service: this.service });
        const delay = Math.min(maxMs, initialMs * 2 ** failures) * (0.75 + Math.random() * 0.5);
        failures++;
        // A broker restart fails a session or two; one that keeps failing holds every later message back.
        const log = failures > 5 ? this.logger.error : this.logger.warn;
        log.call(this.logger, 'outbox publishing session failed; retrying', { service: this.service, error: errorMessage(error), retryInMs: Math.round(delay), failures });
        await this.sleep(delay);
      } finally {
        this.currentPublisher = undefined;
        await publisher?.close().catch(() => undefined);
      }
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

  private async session(lock: OutboxLockConnection, publisher: EventPublisher, onProgress: () => void): Promise<void> {
    await this.resendLost(lock, publisher);
    while (!this.stopping && !lock.isLost) {
      if (publisher.isClosed) throw new Error('connection to the broker lost');
      await this.pruneIfDue(lock);
      const rows = await lock.pending(this.service, this.batchSize);
      if (rows.length === 0) {
        await this.sleep(this.pollIntervalMs);
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
      onProgress();
    }
  }

  private async pruneIfDue(lock: OutboxLockConnection): Promise<void> {
    if (this.retainPublishedMs <= 0 || Date.now() - this.lastPruneAt < PRUNE_EVERY_MS) return;
    this.lastPruneAt = Date.now();
    await this.options.pool.query(PRUNE_SQL, [this.retainPublishedMs, this.service]).catch((error: unknown) => {
      if (!lock.isLost) this.logger.warn('outbox prune failed', { service: this.service, error: errorMessage(error) });
    });
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.stopController.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

function toMessage(row: PendingOutboxRow): OutgoingMessage {
  return { subject: row.subject, data: new Uint8Array(row.payload), msgId: row.id, headers: { ...row.headers, 'Nats-Msg-Id': row.id } };
}
