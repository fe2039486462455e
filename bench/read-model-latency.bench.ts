import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { Registry } from 'prom-client';
import { DataSource, EntitySchema } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { comparePositions, jsonEvent, PostgresEventStore, START, type Position } from '@haidang/event-store';
import { PostgresDeadLetters, serviceSubjectFilter, type DurableConsumer } from '@haidang/messaging';
import { defineProjection, EventBusSource, ProjectionRunner, projectionsMigrations, SharedStoreFeed, type EventSource } from '@haidang/projections';
import { messagingLoggerFor, openEventBus, startEventPublishing } from '@haidang/service-runtime';
import { runMigrations } from '@haidang/sql-migrations';
import { percentile } from './command-path.bench';

/**
 * What reads the events and writes the read model:
 * - 'delivery only': a durable consumer that writes nothing (commit → delivery: relay and bus alone);
 * - 'row per event': a durable consumer INSERTing one row per event (autocommit), no checkpoint;
 * - 'projection, batch of 1': the projection runner fed by the bus one event at a time, as before
 *   batching: one transaction with the row and the checkpoint, then the ack, per event;
 * - 'projection, batched': the runner fed by the bus as a wake-up, reading what is committed from the
 *   store in one batch (one transaction and one checkpoint write for all of it);
 * - 'projection, store feed': the runner fed by the store's own subscription through the shared
 *   feed, as the services' own projections run (no bus: `transport` is then 'store').
 */
export type ReadModelConsumer = 'delivery only' | 'row per event' | 'projection, batch of 1' | 'projection, batched' | 'projection, store feed';

export const READ_MODEL_CONSUMERS: readonly ReadModelConsumer[] = ['projection, batch of 1', 'projection, batched', 'projection, store feed', 'delivery only'];

export interface ReadModelLatencyFigure {
  readonly transport: 'in-process bus' | 'JetStream' | 'store';
  readonly consumer: ReadModelConsumer;
  /** Appends asked for per second (one event per transaction, a new stream each). */
  readonly targetPerSecond: number;
  readonly appendedPerSecond: number;
  readonly events: number;
  /** Events whose read-model row was written before the wait ended. */
  readonly applied: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Read-model transactions (projection consumers): events per transaction is events / transactions. */
  readonly transactions?: number;
}

interface BenchRow {
  streamName: string;
  eventType: string;
}

const BenchRowEntity = new EntitySchema<BenchRow>({
  name: 'BenchReadModelRow',
  tableName: 'bench_read_model_row',
  columns: {
    streamName: { name: 'stream_name', type: 'text', primary: true },
    eventType: { name: 'event_type', type: 'text' },
  },
});

const EVENT_DATA = { form: 'VOLUNTARY_COMMUNITY', communeCode: '06793', note: 'progress reviewed with family' };

/**
 * Commit → read model: events appended at a fixed rate (the kit's store, one per transaction), the
 * service's relay publishing them to the bus (the in-process bus of `npm start`, or JetStream), and
 * a consumer writing one read-model row per event (see ReadModelConsumer). The latency is from the
 * append's return (its commit) to the commit of the row, both seen from this process. Relay,
 * consumer and appender share this process here; in production they are the service's and the
 * projections' processes.
 */
export async function benchmarkCommitToReadModel(options: {
  readonly databaseUrl: string;
  /** JetStream at this URL; undefined: the in-process bus. */
  readonly natsUrl?: string;
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  /** Default 'row per event'. */
  readonly consumer?: ReadModelConsumer;
  /** Older form: true is 'row per event', false 'delivery only'. */
  readonly writeRows?: boolean;
}): Promise<ReadModelLatencyFigure> {
  const kind: ReadModelConsumer = options.consumer ?? (options.writeRows === false ? 'delivery only' : 'row per event');
  const id = randomBytes(4).toString('hex');
  const service = `benchrm${id}`;
  const pool = new Pool({ connectionString: options.databaseUrl, max: 12 });
  pool.on('error', () => undefined); // an idle connection ended under it (the database dropped at the end): nothing to do
  const store = new PostgresEventStore({ pool });
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_read_model (stream_name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  await runMigrations(pool, projectionsMigrations);
  const bus = await openEventBus(options.natsUrl);
  const committedAt = new Map<string, number>();
  const latencies: number[] = [];
  const appliedFirst = new Set<string>();
  const applied = (streamId: string): void => {
    const committed = committedAt.get(streamId);
    if (committed !== undefined) {
      latencies.push(performance.now() - committed);
      committedAt.delete(streamId);
    } else appliedFirst.add(streamId); // the row beat the append's return to this process
  };
  let consumer: DurableConsumer | undefined;
  let runner: ProjectionRunner | undefined;
  let dataSource: DataSource | undefined;
  let transactions = 0;
  let reached: Position = START;
  if (kind === 'delivery only' || kind === 'row per event') {
    consumer = await bus.consume({
      durable: service,
      filterSubjects: [serviceSubjectFilter(service)],
      deadLetters: new PostgresDeadLetters(pool),
      handler: async (event) => {
        if (kind === 'row per event') await pool.query('INSERT INTO bench_read_model (stream_name) VALUES ($1) ON CONFLICT DO NOTHING', [event.streamId]);
        applied(event.streamId);
      },
    });
  } else {
    dataSource = new DataSource({ type: 'postgres', url: options.databaseUrl, entities: [BenchRowEntity], poolSize: 4, logging: false });
    await dataSource.initialize();
    const projection = defineProjection<{ ProgressNoted: typeof EVENT_DATA }>({
      name: `bench_${id}`,
      version: 1,
      entities: [BenchRowEntity],
      handlers: { ProgressNoted: (event, _em, ctx) => ctx.upsert(BenchRowEntity, { streamName: event.streamId, eventType: event.type }) },
    });
    const inner: EventSource =
      kind === 'projection, store feed'
        ? new SharedStoreFeed(store, { batchSize: 500 }).source()
        : new EventBusSource(bus, {
            durable: service,
            filterSubjects: [serviceSubjectFilter(service)],
            deadLetters: new PostgresDeadLetters(pool),
            ...(kind === 'projection, batched' ? { store, batchSize: 500 } : {}),
          });
    // Resolving a delivery is the commit of its transaction: the rows are readable from then on.
    const timed: EventSource = {
      start: (from, deliver) =>
        inner.start(from, async (batch) => {
          const fresh = batch.filter((e) => comparePositions(e.position, reached) > 0);
          await deliver(batch);
          const last = fresh[fresh.length - 1];
          if (!last) return; // covered by an earlier batch: skipped without a transaction
          reached = last.position;
          transactions++;
          for (const event of fresh) applied(event.streamId);
        }),
      stop: () => inner.stop(),
    };
    runner = new ProjectionRunner({ projection, dataSource, source: timed, batchSize: 500 });
    await runner.start();
  }
  const publishing = startEventPublishing({ service, store, pool, bus, registry: new Registry(), logger: messagingLoggerFor(service, 'silent') });
  let events = 0;
  try {
    const started = performance.now();
    const end = started + options.durationSeconds * 1000;
    const inFlight = new Set<Promise<void>>();
    const interval = 1000 / options.ratePerSecond;
    let next = started;
    while (performance.now() < end) {
      // Fixed rate: appends are issued on schedule (up to 64 at a time), not one after another.
      while (next <= performance.now() && inFlight.size < 64) {
        next += interval;
        const stream = `BenchReadModel-${uuidv7()}`;
        const append = store
          .appendToStream(stream, jsonEvent({ type: 'ProgressNoted', data: EVENT_DATA, metadata: { actor: 'bench' } }), { expectedRevision: 'no_stream' })
          .then(() => {
            events++;
            if (appliedFirst.delete(stream)) latencies.push(0);
            else committedAt.set(stream, performance.now());
          })
          .finally(() => inFlight.delete(append));
        inFlight.add(append);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(5, next - performance.now()))));
    }
    await Promise.all(inFlight);
    const seconds = (performance.now() - started) / 1000;
    const waitUntil = performance.now() + 15_000;
    while (latencies.length < events && performance.now() < waitUntil) await new Promise((resolve) => setTimeout(resolve, 20));
    latencies.sort((a, b) => a - b);
    return {
      transport: kind === 'projection, store feed' ? 'store' : options.natsUrl ? 'JetStream' : 'in-process bus',
      consumer: kind,
      targetPerSecond: options.ratePerSecond,
      appendedPerSecond: events / seconds,
      events,
      applied: latencies.length,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      maxMs: latencies[latencies.length - 1] ?? Number.NaN,
      ...(runner ? { transactions } : {}),
    };
  } finally {
    await publishing.stop();
    await consumer?.stop();
    await runner?.stop();
    await dataSource?.destroy();
    await bus.close();
    await store.close();
    await pool.end();
  }
}
