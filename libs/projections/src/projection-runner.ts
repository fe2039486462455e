import { contextFrom, inSpan } from '@haidang/telemetry';
import { comparePositions, formatPosition, START, type Position, type RecordedEvent } from '@haidang/event-store';
import type { DataSource, QueryRunner } from 'typeorm';
import { errorText, isTransientError, ProjectionStoppedError } from './errors';
import type { EventSource } from './event-source';
import type { ProjectionContext, ProjectionDefinition } from './projection-definition';
import type { ProjectionMetrics } from './projection-metrics';
import { ensureProjectionSchema, readCheckpoint, useProjectionSchema, withTransaction } from './projection-schema';
import { EntityWriteBuffer, quoteIdent } from './write-buffer';

/** pino's argument order, so a pino logger fits as it is. */
export interface ProjectionLogger {
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

export const consoleProjectionLogger: ProjectionLogger = {
  warn: (context, message) => console.warn(message, context),
  error: (context, message) => console.error(message, context),
};

export interface ProjectionRunnerOptions {
  readonly projection: ProjectionDefinition;
  /** Initialized, PostgreSQL, with the projection's entities registered and projectionsMigrations applied. */
  readonly dataSource: DataSource;
  readonly source: EventSource;
  /** Most events applied in one transaction (default 500). */
  readonly batchSize?: number;
  /** Tries of a failing handler, per event, before the event goes to the dead letters (default 3). */
  readonly maxAttempts?: number;
  /** Pause before the second try of a failing handler, doubled for each further try (default 50 ms). */
  readonly retryDelayMs?: number;
  /** Pause after a database failure, doubled up to 30 s while it lasts (default 200 ms). */
  readonly transientRetryDelayMs?: number;
  readonly metrics?: ProjectionMetrics;
  readonly logger?: ProjectionLogger;
  /**
   * A batch none of whose events has a handler moves the checkpoint in memory only (no transaction:
   * the read model does not change); the checkpoint row catches up with the next batch that writes,
   * or once 1,000 such events have passed. After a restart those events are read again and skipped.
   * Not for a rebuild, whose stored checkpoint decides when it may become the active version.
   */
  readonly deferIdleCheckpoints?: boolean;
}

/** Events without a handler passed over before the checkpoint row is written anyway. */
const MAX_DEFERRED_EVENTS = 1_000;

export type ProjectionRunnerState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

interface Waiter {
  readonly position: Position;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

interface TxResult {
  readonly applied: number;
  readonly checkpoint: Position;
}

const CHECKPOINT_FOR_UPDATE = 'SELECT commit::text AS commit, prepare::text AS prepare FROM projection_checkpoints WHERE projection = $1 FOR UPDATE';
const SAVE_CHECKPOINT = 'UPDATE projection_checkpoints SET commit = $2::text::xid8, prepare = $3::bigint, updated_at = now() WHERE projection = $1';

/**
 * Runs one projection version: takes batches from its source and applies each in ONE transaction
 * with the version's checkpoint. Inside the transaction the checkpoint row is locked and every event
 * at or below it is skipped, so redelivery, replay and a second runner of the same version change
 * nothing; a crash at any point leaves either the whole batch or none of it.
 *
 * Failures: a database failure (connection lost, server restarting, deadlock) rolls the batch back
 * and retries it, indefinitely, with back-off. A handler error rolls the batch back and re-applies it
 * one event per transaction: the events before the failing one commit, the failing one is tried
 * `maxAttempts` times, then written to projection_dead_letters in the transaction that moves the
 * checkpoint past it, and the projection goes on.
 */
export class ProjectionRunner {
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly transientRetryDelayMs: number;
  private readonly logger: ProjectionLogger;
  private position: Position = START;
  private runnerState: ProjectionRunnerState = 'idle';
  private waiters: Waiter[] = [];
  private untrack: (() => void) | undefined;
  private readonly sleeping = new Set<() => void>();
  private readonly tableTypes = new Map<string, ReadonlyMap<string, string>>();
  /** Events passed over (no handler) since the checkpoint row was last written. */
  private deferred = 0;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 50;
    this.transientRetryDelayMs = options.transientRetryDelayMs ?? 200;
    this.logger = options.logger ?? consoleProjectionLogger;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new Error('batchSize must be a positive integer');
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new Error('maxAttempts must be a positive integer');
  }

  get projection(): ProjectionDefinition {
    return this.options.projection;
  }

  /** The last position this runner committed (or found committed when it started). */
  get checkpoint(): Position {
    return this.position;
  }

  get state(): ProjectionRunnerState {
    return this.runnerState;
  }

  /** Creates the version's schema if needed, reads its checkpoint and starts the source after it. */
  async start(): Promise<void> {
    if (this.runnerState !== 'idle' && this.runnerState !== 'stopped') throw new Error(`Projection ${this.key} is ${this.runnerState}`);
    this.runnerState = 'starting';
    try {
      this.checkEntities();
      await ensureProjectionSchema(this.options.dataSource, this.projection);
      this.position = (await readCheckpoint(this.options.dataSource, this.key)) ?? START;
      this.untrack = this.options.metrics?.track(this.key, () => this.position);
      this.runnerState = 'running';
      await this.options.source.start(this.position, (events) => this.deliver(events));
    } catch (error) {
      this.untrack?.();
      this.untrack = undefined;
      this.runnerState = 'stopped';
      throw error;
    }
  }

  /** Stops after the batch in progress (a batch waiting out a database failure is abandoned, not half-applied). */
  async stop(): Promise<void> {
    if (this.runnerState !== 'running') return;
    this.runnerState = 'stopping';
    for (const wake of this.sleeping) wake();
    await this.options.source.stop();
    this.untrack?.();
    this.untrack = undefined;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(new ProjectionStoppedError(this.key));
    this.runnerState = 'stopped';
  }

  /** Resolves once the checkpoint has reached `position` (rejects if the runner stops first). */
  waitForCheckpoint(position: Position, options: { timeoutMs?: number } = {}): Promise<void> {
    if (comparePositions(this.position, position) >= 0) return Promise.resolve();
    if (this.runnerState !== 'running' && this.runnerState !== 'starting') return Promise.reject(new ProjectionStoppedError(this.key));
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(
            new Error(`Projection ${this.key} did not reach ${formatPosition(position)} within ${options.timeoutMs} ms (at ${formatPosition(this.position)})`),
          );
        }, options.timeoutMs);
      }
      this.waiters.push(waiter);
    });
  }

  private get key(): string {
    return this.projection.key;
  }

  private get stopping(): boolean {
    return this.runnerState === 'stopping' || this.runnerState === 'stopped';
  }

  private checkEntities(): void {
    const { dataSource } = this.options;
    if (dataSource.options.type !== 'postgres') throw new Error(`Projection ${this.key} needs a PostgreSQL DataSource`);
    for (const entity of this.projection.entities) {
      if (!dataSource.hasMetadata(entity)) {
        throw new Error(
          `Projection ${this.key}: entity ${describe(entity)} is not registered in the DataSource (list projectionEntities(...) in its entities)`,
        );
      }
      const metadata = dataSource.getMetadata(entity);
      if (metadata.schema) throw new Error(`Projection ${this.key}: entity ${metadata.name} names schema ${metadata.schema}; projection entities must not`);
      if (metadata.tableName.startsWith('projection_')) throw new Error(`Projection ${this.key}: table name ${metadata.tableName} is reserved`);
    }
  }

  private async deliver(events: readonly RecordedEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += this.batchSize) {
      if (this.stopping) throw new ProjectionStoppedError(this.key);
      // Already covered by the checkpoint: a redelivery costs no transaction at all.
      const fresh = events.slice(start, start + this.batchSize).filter((e) => comparePositions(e.position, this.position) > 0);
      if (fresh.length > 0) await this.applyBatch(fresh);
    }
  }

  private async applyBatch(events: readonly RecordedEvent[]): Promise<void> {
    if (this.options.deferIdleCheckpoints && this.deferred + events.length < MAX_DEFERRED_EVENTS && !events.some((e) => this.projection.handlerFor(e.type))) {
      this.deferred += events.length;
      this.advance({ applied: events.length, checkpoint: (events[events.length - 1] as RecordedEvent).position });
      return;
    }
    for (let failures = 0; ;) {
      try {
        this.advance(await this.transaction(events, 1), true);
        return;
      } catch (error) {
        if (isTransientError(error)) {
          await this.waitOutTransient(error, failures++);
          continue;
        }
        if (this.stopping) throw new ProjectionStoppedError(this.key);
        const [only] = events;
        if (events.length === 1 && only) {
          // A batch of one: that was the event's first try.
          await this.applyOne(only, { attempts: 1, error });
          return;
        }
        this.logger.warn({ projection: this.key, events: events.length, error: errorText(error) }, 'Projection batch failed; applying its events one by one');
        for (const event of events) await this.applyOne(event);
        return;
      }
    }
  }

  /** Applies one event in its own transaction, retrying a failing handler, then dead-lettering it. */
  private async applyOne(event: RecordedEvent, failed?: { attempts: number; error: unknown }): Promise<void> {
    let attempt = (failed?.attempts ?? 0) + 1;
    let lastError = failed?.error;
    for (let failures = 0; ;) {
      if (comparePositions(event.position, this.position) <= 0) return;
      if (attempt > this.maxAttempts) {
        await this.deadLetter(event, lastError, attempt - 1);
        return;
      }
      if (attempt > 1) {
        this.logger.warn(
          { projection: this.key, eventId: event.id, type: event.type, attempt, error: errorText(lastError) },
          'Projection handler failed; retrying',
        );
        await this.sleep(this.retryDelayMs * 2 ** (attempt - 2));
        if (this.stopping) throw new ProjectionStoppedError(this.key);
      }
      try {
        this.advance(await this.transaction([event], attempt), true);
        return;
      } catch (error) {
        if (isTransientError(error)) {
          await this.waitOutTransient(error, failures++);
          continue; // not the handler's fault: the same attempt again
        }
        if (this.stopping) throw new ProjectionStoppedError(this.key);
        lastError = error;
        attempt++;
      }
    }
  }

  private async deadLetter(event: RecordedEvent, cause: unknown, attempts: number): Promise<void> {
    this.logger.error(
      { projection: this.key, eventId: event.id, type: event.type, position: formatPosition(event.position), attempts, error: errorText(cause) },
      'Projection handler kept failing; event written to projection_dead_letters',
    );
    for (let failures = 0; ;) {
      try {
        const result = await this.withProjectionTransaction(async (qr, checkpoint) => {
          if (comparePositions(event.position, checkpoint) <= 0) return { applied: 0, checkpoint };
          await qr.query(
            `INSERT INTO projection_dead_letters (projection, event_id, commit, prepare, stream_id, event_type, error, attempts)
             VALUES ($1, $2, $3::text::xid8, $4::bigint, $5, $6, $7, $8) ON CONFLICT (projection, event_id) DO NOTHING`,
            [this.key, event.id, event.position.commit.toString(), event.position.prepare.toString(), event.streamId, event.type, errorText(cause), attempts],
          );
          await qr.query(SAVE_CHECKPOINT, [this.key, event.position.commit.toString(), event.position.prepare.toString()]);
          return { applied: -1, checkpoint: event.position };
        });
        if (result.applied === -1) {
          this.options.metrics?.deadLettered(this.key);
          this.advance({ applied: 0, checkpoint: result.checkpoint }, true);
        } else this.advance(result, true);
        return;
      } catch (error) {
        if (!isTransientError(error)) throw error;
        await this.waitOutTransient(error, failures++);
      }
    }
  }

  /** Applies `events` (those after the stored checkpoint) and moves the checkpoint, in one transaction. */
  private transaction(events: readonly RecordedEvent[], attempt: number): Promise<TxResult> {
    const { dataSource } = this.options;
    return this.withProjectionTransaction(async (qr, checkpoint) => {
      const writes = new EntityWriteBuffer(dataSource);
      const raw = qr.query.bind(qr);
      const execute = (sql: string, params: unknown[]): Promise<unknown> => raw(sql, params);
      const columnTypes = (table: string) => this.columnTypes(table, execute);
      // Read-your-writes for handlers: whatever they run through the EntityManager first sends the
      // buffered writes, so a query sees every write made before it in this batch.
      qr.query = (async (sql: string, params?: unknown[], structured?: boolean) => {
        if (sql === 'ROLLBACK')
          writes.buffer.drain(); // discarded with the transaction, never sent
        else if (!writes.buffer.isEmpty) await writes.buffer.flush(execute, columnTypes);
        return structured ? raw(sql, params, true) : raw(sql, params);
      }) as QueryRunner['query'];
      const ctx: ProjectionContext = {
        projection: this.projection,
        attempt,
        upsert: (target, row, options) => writes.upsert(target, row, options),
        update: (target, key, values, options) => writes.update(target, key, values, options),
        increment: (target, key, deltas) => writes.increment(target, key, deltas),
        delete: (target, key) => writes.delete(target, key),
      };
      let cursor = checkpoint;
      let applied = 0;
      for (const event of events) {
        if (comparePositions(event.position, cursor) <= 0) continue; // redelivered or replayed
        const handler = this.projection.handlerFor(event.type);
        // Each event's handling continues the trace of the request that appended it (an outbox
        // message written here carries it on to the next service).
        if (handler)
          await inSpan(
            `project ${this.key}`,
            { kind: 'consumer', parent: contextFrom(event.metadata), attributes: { 'haidang.projection': this.key, 'haidang.event_type': event.type } },
            async () => handler(event, qr.manager, ctx),
          );
        cursor = event.position;
        applied++;
      }
      await writes.buffer.flush(execute, columnTypes);
      if (applied > 0) await execute(SAVE_CHECKPOINT, [this.key, cursor.commit.toString(), cursor.prepare.toString()]);
      return { applied, checkpoint: cursor };
    });
  }

  /**
   * One transaction on a connection of its own, pointed at the version's schema, holding the lock on
   * its checkpoint row (which serialises runners of the same version, e.g. two replicas).
   */
  private async withProjectionTransaction(work: (qr: QueryRunner, checkpoint: Position) => Promise<TxResult>): Promise<TxResult> {
    return withTransaction(this.options.dataSource, async (qr) => {
      await useProjectionSchema((sql, params) => qr.query(sql, params), this.projection.schema);
      const rows: { commit: string; prepare: string }[] = await qr.query(CHECKPOINT_FOR_UPDATE, [this.key]);
      const row = rows[0];
      if (!row) throw new Error(`Projection ${this.key} has no checkpoint row: was its version dropped while it ran?`);
      return work(qr, { commit: BigInt(row.commit), prepare: BigInt(row.prepare) });
    });
  }

  /** A read-model table's column types, from the catalog of this version's schema (which never changes once made). */
  private async columnTypes(table: string, execute: (sql: string, params: unknown[]) => Promise<unknown>): Promise<ReadonlyMap<string, string>> {
    let types = this.tableTypes.get(table);
    if (!types) {
      const rows = (await execute(
        `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
          WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
        [`${quoteIdent(this.projection.schema)}.${quoteIdent(table)}`],
      )) as { name: string; type: string }[];
      if (rows.length === 0) throw new Error(`Projection ${this.key}: table ${table} not found in schema ${this.projection.schema}`);
      types = new Map(rows.map((r) => [r.name, r.type]));
      this.tableTypes.set(table, types);
    }
    return types;
  }

  private advance(result: TxResult, written = false): void {
    if (written) this.deferred = 0;
    if (comparePositions(result.checkpoint, this.position) > 0) this.position = result.checkpoint;
    this.options.metrics?.eventsApplied(this.key, result.applied);
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (comparePositions(this.position, waiter.position) >= 0) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }

  private async waitOutTransient(error: unknown, failures: number): Promise<void> {
    if (this.stopping) throw new ProjectionStoppedError(this.key);
    const delay = Math.min(30_000, this.transientRetryDelayMs * 2 ** failures);
    this.logger.warn({ projection: this.key, retryInMs: delay, error: errorText(error) }, 'Projection transaction failed on the database; retrying');
    await this.sleep(delay);
    if (this.stopping) throw new ProjectionStoppedError(this.key);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.sleeping.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleeping.add(done);
    });
  }
}

function describe(entity: unknown): string {
  if (typeof entity === 'function') return entity.name;
  return String((entity as { options?: { name?: string } }).options?.name ?? entity);
}
