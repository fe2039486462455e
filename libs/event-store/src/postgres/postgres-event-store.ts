import { createHash } from 'node:crypto';
import { Client, Pool, type PoolClient } from 'pg';
import { canonicalJson } from '../canonical-json';
import { CHAIN_COLUMNS, StreamChain, StreamIntegrityError, type ChainFinding, type StoredChainRow } from '../chain';
import { IdempotencyKeyReusedError, TransactionOrderConflictError, WrongExpectedVersionError } from '../errors';
import { normalizeAppend, type NormalizedEvent } from '../event-data';
import { START } from '../types';
import type {
  AllSubscription,
  AppendOptions,
  AppendResult,
  EventData,
  EventMetadata,
  EventPayload,
  EventStore,
  ExpectedRevision,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../types';
import { UpcasterRegistry } from '../upcasters';
import { appendSql, appendStatementName, type AppendKind } from './append-sql';
import { WakeUpListener, type WakeUp } from './wake-up-listener';

export interface PostgresEventStoreOptions {
  /** A pool the caller owns, or a connection string for a pool the store owns. */
  readonly pool?: Pool;
  readonly connectionString?: string;
  readonly upcasters?: UpcasterRegistry;
  /**
   * Named prepared statements (default on) save re-planning every append. PGlite shares one
   * backend session between all connections, where two connections preparing the same name clash:
   * turn this off there.
   */
  readonly namedStatements?: boolean;
  /** LISTEN for appends to wake subscribers at once (default on); polling remains the fallback. */
  readonly listen?: boolean;
  /** The least time between two NOTIFYs that wake other processes' readers (default 10 ms; see WakeUpListener.announce). */
  readonly notifyIntervalMs?: number;
  /** How often an append refused only for transaction-id order is retried before giving up. */
  readonly maxOrderRetries?: number;
}

interface EventRow {
  commit: string;
  prepare: string;
  event_id: string;
  stream_name: string;
  revision: string;
  event_type: string;
  schema_version: number;
  data: EventPayload;
  metadata: EventMetadata;
  recorded_at: Date;
}

interface AppendedRow {
  commit: string;
  prepare: string;
  revision: string;
}

interface StoredResult {
  nextExpectedRevision: string;
  commit: string;
  prepare: string;
}

const EVENT_COLUMNS = `transaction_id::text AS commit, global_position::text AS prepare, event_id::text AS event_id,
  stream_name, stream_revision::text AS revision, event_type, schema_version, data, metadata, recorded_at`;

/** Only events of transactions below the oldest one still running: no later commit can land before them. */
const VISIBLE = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';

const READ_ALL_SQL = `SELECT ${EVENT_COLUMNS} FROM es_events
  WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint) AND ${VISIBLE}
  ORDER BY transaction_id, global_position LIMIT $3`;

const HEAD_SQL = `SELECT transaction_id::text AS commit, global_position::text AS prepare FROM es_events
  WHERE ${VISIBLE} ORDER BY transaction_id DESC, global_position DESC LIMIT 1`;

/**
 * A page of a stream with what verifying it needs, in one statement (one snapshot): the stored hash
 * of the event before the page (`before_*`, where the read starts after revision 0) and the stream
 * row's head, on the first row only (the others carry nulls: nothing more to parse). Always one row
 * at least: with no event, the event columns are null. The recorded time comes as its wire bytes
 * only (hashed, and turned into the Date here).
 */
const READ_STREAM_VERIFIED_SQL = `SELECT e.*,
    CASE WHEN first IS NOT FALSE THEN s.revision::text END AS head_revision,
    CASE WHEN first IS NOT FALSE THEN s.last_hashes[array_upper(s.last_hashes, 1)] END AS head_hash,
    CASE WHEN first IS NOT FALSE THEN p.hash END AS before_hash, p.stream_revision IS NOT NULL AS before_found
  FROM (VALUES (1)) AS one (x)
  LEFT JOIN es_streams s ON s.stream_name = $1
  LEFT JOIN es_events p ON p.stream_name = $1 AND p.stream_revision = $2::bigint
  LEFT JOIN LATERAL (
    SELECT transaction_id::text AS commit, global_position::text AS prepare, ${CHAIN_COLUMNS}, row_number() OVER (ORDER BY stream_revision) = 1 AS first
      FROM es_events WHERE stream_name = $1 AND stream_revision > $2::bigint ORDER BY stream_revision LIMIT $3
  ) e ON true
  ORDER BY e.revision::bigint`;

type VerifiedRow = { [K in keyof StoredChainRow]: StoredChainRow[K] | null } & {
  commit: string | null;
  prepare: string | null;
  head_revision: string | null;
  head_hash: Buffer | null;
  before_hash: Buffer | null;
  before_found: boolean;
};
type VerifiedEventRow = StoredChainRow & { commit: string; prepare: string };

/** 2000-01-01T00:00:00Z, PostgreSQL's epoch for timestamps on the wire, in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;

const PAGE_SIZE = 1000;
/** The NOTIFY channel that wakes readers after appends (relays LISTEN on it too). */
export const APPENDED_CHANNEL = 'es_appended';

export type Queryable = Pick<PoolClient, 'query'>;

export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly upcasters: UpcasterRegistry;
  private readonly namedStatements: boolean;
  private readonly maxOrderRetries: number;
  private readonly wakeUps: WakeUpListener | undefined;
  private readonly subscriptions = new Set<AllSubscription>();
  private readonly chainBreakListeners = new Set<(finding: ChainFinding) => void>();

  constructor(options: PostgresEventStoreOptions) {
    if (options.pool) {
      this.pool = options.pool;
      this.ownsPool = false;
    } else if (options.connectionString) {
      this.pool = new Pool({ connectionString: options.connectionString, max: 20 });
      this.pool.on('error', () => undefined); // an idle connection lost (e.g. a restart): the pool replaces it
      this.ownsPool = true;
    } else {
      throw new Error('PostgresEventStore needs a pool or a connection string');
    }
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.namedStatements = options.namedStatements ?? true;
    this.maxOrderRetries = options.maxOrderRetries ?? 20;
    const connectionOptions = options.pool?.options ?? { connectionString: options.connectionString };
    this.wakeUps =
      options.listen === false ? undefined : new WakeUpListener(() => new Client(connectionOptions), APPENDED_CHANNEL, options.notifyIntervalMs ?? 10);
  }

  async appendToStream(streamName: string, input: EventData | readonly EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    const events = normalizeAppend(streamName, input);
    const expected = options.expectedRevision ?? 'any';
    let result: AppendResult;
    if (options.idempotencyKey === undefined) {
      result = await this.appendWithOrderRetries(this.pool, streamName, expected, events);
    } else {
      const scope = options.idempotencyScope ?? (typeof events[0]?.metadata.agency === 'string' ? events[0].metadata.agency : '');
      const requestHash =
        options.idempotencyFingerprint === undefined
          ? hashRequest(streamName, events)
          : createHash('sha256').update(`fingerprint\u0000${streamName}\u0000${options.idempotencyFingerprint}`).digest('hex');
      result = await this.appendIdempotently(streamName, expected, events, { scope, key: options.idempotencyKey, requestHash });
    }
    if (!result.idempotentReplay) this.wakeUps?.announce();
    return result;
  }

  /**
   * Appends inside a transaction the caller has opened on `client` (to commit the events together
   * with other writes of its own). The append must be the transaction's first write: it is what
   * takes the transaction id, under the stream's lock. A refusal for transaction order throws
   * TransactionOrderConflictError, and the caller retries the whole transaction.
   */
  async appendInTransaction(
    client: Queryable,
    streamName: string,
    input: EventData | readonly EventData[],
    options: Pick<AppendOptions, 'expectedRevision'> = {},
  ): Promise<AppendResult> {
    const events = normalizeAppend(streamName, input);
    const expected = options.expectedRevision ?? 'any';
    const { rows } = await client.query<{ xid: string | null }>('SELECT pg_current_xact_id_if_assigned()::text AS xid');
    if (rows[0]?.xid) throw new Error('appendInTransaction must be the first write of its transaction');
    const appended = await this.tryAppend(client, streamName, expected, events);
    if (appended) {
      this.wakeUps?.announce(false); // early (the caller commits later); subscribers poll for what it misses
      return appended;
    }
    await this.throwIfStale(client, streamName, expected);
    throw new TransactionOrderConflictError(streamName);
  }

  async *readStream(streamName: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    if (options.verifyChain) {
      yield* this.readStreamVerified(streamName, options);
      return;
    }
    const backwards = options.direction === 'backwards';
    const limit = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    let cursor: bigint | null = from === 'start' ? -1n : from === 'end' ? null : from + (backwards ? 1n : -1n);
    let delivered = 0;
    while (delivered < limit) {
      const pageSize = Math.min(PAGE_SIZE, limit - delivered);
      const { rows } = await this.pool.query<EventRow>(
        backwards
          ? `SELECT ${EVENT_COLUMNS} FROM es_events WHERE stream_name = $1 AND ($2::bigint IS NULL OR stream_revision < $2::bigint)
             ORDER BY stream_revision DESC LIMIT $3`
          : `SELECT ${EVENT_COLUMNS} FROM es_events WHERE stream_name = $1 AND stream_revision > $2::bigint
             ORDER BY stream_revision LIMIT $3`,
        [streamName, cursor === null ? null : cursor.toString(), pageSize],
      );
      for (const row of rows) yield this.toRecordedEvent(row);
      delivered += rows.length;
      if (rows.length < pageSize) return;
      cursor = BigInt((rows[rows.length - 1] as EventRow).revision);
    }
  }

  /**
   * Told of every verified read refused because its stream does not verify, before the reader gets
   * the StreamIntegrityError: where security logging and metrics hook in. Returns the unsubscribe.
   */
  onChainBreak(listener: (finding: ChainFinding) => void): () => void {
    this.chainBreakListeners.add(listener);
    return () => this.chainBreakListeners.delete(listener);
  }

  /**
   * A forward read that checks each event's hash against its stored content and the previous
   * hash (the stored hash before the first event read, when the read starts later), and at the
   * end of the stream the stream row's head. A page is checked whole before any of its events is
   * given out: a reader never sees an event of a page that does not verify.
   */
  private async *readStreamVerified(streamName: string, options: ReadStreamOptions): AsyncGenerator<RecordedEvent> {
    if (options.direction === 'backwards') throw new Error('verifyChain reads forwards only');
    const limit = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const from = options.fromRevision ?? 'start';
    if (from === 'end') return;
    let cursor = from === 'start' ? -1n : from - 1n;
    let chain: StreamChain | undefined;
    let delivered = 0;
    while (delivered < limit) {
      const pageSize = Math.min(PAGE_SIZE, limit - delivered);
      const { rows } = await this.pool.query<VerifiedRow>(
        this.statement('es_read_stream_verified', READ_STREAM_VERIFIED_SQL, [streamName, cursor.toString(), pageSize]),
      );
      const context = rows[0] as VerifiedRow;
      const events = (context.event_id === null ? [] : rows) as VerifiedEventRow[];
      const head = context.head_revision === null ? undefined : { revision: BigInt(context.head_revision), hash: context.head_hash };
      if (!chain) {
        if (cursor < 0n) chain = new StreamChain(streamName);
        else if (!context.before_found) {
          // Past the end of the stream (or no stream): nothing to read. Otherwise the event before is gone.
          if (events.length === 0 && (head === undefined || head.revision < cursor)) return;
          this.chainBroken({ reason: 'revision-gap', streamName, revision: cursor });
        } else if (context.before_hash === null) this.chainBroken({ reason: 'unchained', streamName, revision: cursor });
        else chain = new StreamChain(streamName, { revision: cursor + 1n, previousHash: context.before_hash });
      }
      const verified = chain as StreamChain;
      for (const row of events) {
        const found = verified.next(row)[0];
        if (found) this.chainBroken(found);
      }
      const atEnd = events.length < pageSize;
      if (atEnd && (cursor >= 0n || events.length > 0 || head !== undefined)) {
        const found = verified.end(head);
        if (found) this.chainBroken(found);
      }
      for (const row of events) {
        yield this.toRecordedEvent({
          ...row,
          data: JSON.parse(row.data) as EventPayload,
          metadata: JSON.parse(row.metadata) as EventMetadata,
          // Microseconds since 2000-01-01 UTC, truncated to milliseconds as pg's own timestamp parser does.
          recorded_at: new Date(PG_EPOCH_MS + Math.floor(Number(row.time_bytes.readBigInt64BE(0)) / 1000)),
        });
      }
      delivered += events.length;
      const last = events[events.length - 1];
      if (atEnd || !last) return;
      cursor = BigInt(last.revision);
    }
  }

  private chainBroken(finding: ChainFinding): never {
    for (const listener of this.chainBreakListeners) {
      try {
        listener(finding);
      } catch {
        // A failing listener (a log sink) must not turn the refusal into another error.
      }
    }
    throw new StreamIntegrityError(finding);
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const limit = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let cursor = options.fromPosition ?? START;
    let delivered = 0;
    while (delivered < limit) {
      const wanted = Math.min(PAGE_SIZE, limit - delivered);
      const page = await this.readAllPage(cursor, wanted);
      for (const event of page) yield event;
      delivered += page.length;
      const last = page[page.length - 1];
      if (!last || page.length < wanted) return;
      cursor = last.position;
    }
  }

  /** One page of the committed log after `after`, in log order. The primitive under readAll and subscriptions. */
  async readAllPage(after: Position, maxCount: number): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      this.statement('es_read_all', READ_ALL_SQL, [after.commit.toString(), after.prepare.toString(), maxCount]),
    );
    return rows.map((row) => this.toRecordedEvent(row));
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const stop = new AbortController();
    const iterator = this.follow(options.fromPosition ?? START, options.batchSize ?? 500, options.pollIntervalMs ?? 250, stop.signal);
    const subscription: AllSubscription = {
      [Symbol.asyncIterator]: () => iterator,
      unsubscribe: async () => {
        stop.abort();
        this.subscriptions.delete(subscription);
        await iterator.return(undefined);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * Catch-up then live. A page is read only when the consumer has taken the previous one, so a
   * slow consumer slows the reads and memory stays bounded by one page (backpressure).
   */
  private async *follow(from: Position, batchSize: number, pollIntervalMs: number, stopped: AbortSignal): AsyncGenerator<RecordedEvent> {
    await this.wakeUps?.start().catch(() => undefined); // without LISTEN, polling still delivers
    let cursor = from;
    while (!stopped.aborted) {
      const wake = this.wakeUps?.nextWakeUp();
      const page = await this.readAllPage(cursor, batchSize);
      for (const event of page) {
        if (stopped.aborted) break;
        cursor = event.position;
        yield event;
      }
      if (page.length < batchSize && !stopped.aborted) await waitFor(wake, pollIntervalMs, stopped);
      else wake?.cancel();
    }
  }

  async headPosition(): Promise<Position> {
    const { rows } = await this.pool.query<{ commit: string; prepare: string }>(HEAD_SQL);
    const row = rows[0];
    return row ? { commit: BigInt(row.commit), prepare: BigInt(row.prepare) } : START;
  }

  /** Seconds since the oldest transaction holding a transaction id began: it holds back every reader. */
  async oldestOpenTransactionAgeSeconds(): Promise<number> {
    const { rows } = await this.pool.query<{ age: number | null }>(
      `SELECT extract(epoch FROM now() - min(xact_start))::float8 AS age
         FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()`,
    );
    return Math.max(0, rows[0]?.age ?? 0);
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.unsubscribe()));
    await this.wakeUps?.stop();
    if (this.ownsPool) await this.pool.end();
  }

  private async appendWithOrderRetries(db: Queryable, streamName: string, expected: ExpectedRevision, events: NormalizedEvent[]): Promise<AppendResult> {
    for (let attempt = 0; ; attempt++) {
      const appended = await this.tryAppend(db, streamName, expected, events);
      if (appended) return appended;
      await this.throwIfStale(db, streamName, expected);
      if (attempt >= this.maxOrderRetries) throw new Error(`Append to ${streamName} kept losing the race for transaction order`);
    }
  }

  /** One append statement; null when the stream row refused it (stale revision or transaction order). */
  private async tryAppend(db: Queryable, streamName: string, expected: ExpectedRevision, events: NormalizedEvent[]): Promise<AppendResult | null> {
    const kind: AppendKind = typeof expected === 'bigint' ? 'exact' : expected;
    const values: unknown[] = [streamName, events.length];
    if (typeof expected === 'bigint') values.push(expected.toString());
    for (const event of events) values.push(event.id, event.type, event.schemaVersion, event.dataJson, event.metadataJson, event.contentHash);
    const { rows } = await db.query<AppendedRow>(this.statement(appendStatementName(kind, events.length), appendSql(kind, events.length), values));
    const last = rows[0];
    if (!last) return null;
    return {
      success: true,
      nextExpectedRevision: BigInt(last.revision),
      position: { commit: BigInt(last.commit), prepare: BigInt(last.prepare) },
      idempotentReplay: false,
    };
  }

  /** After a refused append: throw if the expectation is really stale; return if it was only transaction order. */
  private async throwIfStale(db: Queryable, streamName: string, expected: ExpectedRevision): Promise<void> {
    const { rows } = await db.query<{ revision: string }>('SELECT revision::text AS revision FROM es_streams WHERE stream_name = $1', [streamName]);
    const actual = rows[0] ? BigInt(rows[0].revision) : 'no_stream';
    const satisfied =
      expected === 'any' ||
      (expected === 'no_stream' && actual === 'no_stream') ||
      (expected === 'stream_exists' && actual !== 'no_stream') ||
      (typeof expected === 'bigint' && actual === expected);
    if (!satisfied) throw new WrongExpectedVersionError(streamName, expected, actual);
  }

  private async appendIdempotently(
    streamName: string,
    expected: ExpectedRevision,
    events: NormalizedEvent[],
    idempotency: { scope: string; key: string; requestHash: string },
  ): Promise<AppendResult> {
    const earlier = await this.storedResult(this.pool, idempotency);
    if (earlier) return earlier;
    const client = await this.pool.connect();
    try {
      for (let attempt = 0; ; attempt++) {
        // The append is the transaction's first write, so its transaction id is taken under the stream lock.
        await client.query('BEGIN');
        const appended = await this.tryAppend(client, streamName, expected, events);
        if (appended) {
          const stored: StoredResult = {
            nextExpectedRevision: appended.nextExpectedRevision.toString(),
            commit: appended.position.commit.toString(),
            prepare: appended.position.prepare.toString(),
          };
          const inserted = await client.query(
            `INSERT INTO es_idempotency_keys (scope, key, request_hash, result) VALUES ($1, $2, $3, $4)
             ON CONFLICT (scope, key) DO NOTHING RETURNING 1`,
            [idempotency.scope, idempotency.key, idempotency.requestHash, JSON.stringify(stored)],
          );
          if (inserted.rowCount === 1) {
            await client.query('COMMIT');
            return appended;
          }
        }
        // Refused, or a concurrent request with the same key committed first: undo, then answer as it did.
        await client.query('ROLLBACK');
        const concurrent = await this.storedResult(client, idempotency);
        if (concurrent) return concurrent;
        await this.throwIfStale(client, streamName, expected);
        if (attempt >= this.maxOrderRetries) throw new Error(`Append to ${streamName} kept losing the race for transaction order`);
      }
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async storedResult(db: Queryable, idempotency: { scope: string; key: string; requestHash: string }): Promise<AppendResult | null> {
    const { rows } = await db.query<{ request_hash: string; result: StoredResult }>(
      'SELECT request_hash, result FROM es_idempotency_keys WHERE scope = $1 AND key = $2',
      [idempotency.scope, idempotency.key],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.request_hash !== idempotency.requestHash) throw new IdempotencyKeyReusedError(idempotency.key);
    return {
      success: true,
      nextExpectedRevision: BigInt(row.result.nextExpectedRevision),
      position: { commit: BigInt(row.result.commit), prepare: BigInt(row.result.prepare) },
      idempotentReplay: true,
    };
  }

  private statement(name: string, text: string, values: unknown[]): { name?: string; text: string; values: unknown[] } {
    return this.namedStatements ? { name, text, values } : { text, values };
  }

  private toRecordedEvent(row: EventRow): RecordedEvent {
    const { schemaVersion, data } = this.upcasters.upcast(row.event_type, row.schema_version, row.data, row.metadata);
    return {
      id: row.event_id,
      type: row.event_type,
      schemaVersion,
      streamId: row.stream_name,
      revision: BigInt(row.revision),
      position: { commit: BigInt(row.commit), prepare: BigInt(row.prepare) },
      created: row.recorded_at,
      data,
      metadata: row.metadata,
    };
  }
}

/** The same stream and the same events (type, version, data) give the same hash; ids and metadata may differ on a retry. */
function hashRequest(streamName: string, events: NormalizedEvent[]): string {
  const body = canonicalJson({ streamName, events: events.map((e) => [e.type, e.schemaVersion, e.data]) });
  return createHash('sha256').update(body).digest('hex');
}

function waitFor(wake: WakeUp | undefined, timeoutMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      wake?.cancel();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    signal.addEventListener('abort', done, { once: true });
    void wake?.promise.then(done);
  });
}
