import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { Registry } from 'prom-client';
import { v7 as uuidv7 } from 'uuid';
import { jsonEvent, PostgresEventStore } from '@haidang/event-store';
import { PostgresDeadLetters, serviceSubjectFilter } from '@haidang/messaging';
import { messagingLoggerFor, openEventBus, startEventPublishing } from '@haidang/service-runtime';
import { percentile } from './command-path.bench';

export interface ReadModelLatencyFigure {
  readonly transport: 'in-process bus' | 'JetStream';
  /** 'row per event': the consumer INSERTs a read-model row per event; 'delivery only': commit → delivery to the consumer (relay and bus alone). */
  readonly consumer: 'row per event' | 'delivery only';
  /** Appends asked for per second (one event per transaction, a new stream each). */
  readonly targetPerSecond: number;
  readonly appendedPerSecond: number;
  readonly events: number;
  /** Events whose read-model row was written before the wait ended. */
  readonly applied: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const EVENT_DATA = { form: 'VOLUNTARY_COMMUNITY', communeCode: '06793', note: 'progress reviewed with family' };

/**
 * Commit → read model: events appended at a fixed rate (the kit's store, one per transaction), the
 * service's relay publishing them to the bus (the in-process bus of `npm start`, or JetStream), and
 * a durable consumer writing one read-model row per event (INSERT, autocommit, as a projection
 * would). The latency is from the append's return (its commit) to the row's commit, both seen from
 * this process. Relay, consumer and appender share this process here; in production they are the
 * service's and the projections' processes.
 */
export async function benchmarkCommitToReadModel(options: {
  readonly databaseUrl: string;
  /** JetStream at this URL; undefined: the in-process bus. */
  readonly natsUrl?: string;
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  /** Default true: a row per event; false measures delivery alone. */
  readonly writeRows?: boolean;
}): Promise<ReadModelLatencyFigure> {
  const writeRows = options.writeRows ?? true;
  const id = randomBytes(4).toString('hex');
  const service = `benchrm${id}`;
  const pool = new Pool({ connectionString: options.databaseUrl, max: 12 });
  pool.on('error', () => undefined); // an idle connection ended under it (the database dropped at the end): nothing to do
  const store = new PostgresEventStore({ pool });
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_read_model (stream_name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  const bus = await openEventBus(options.natsUrl);
  const committedAt = new Map<string, number>();
  const latencies: number[] = [];
  const appliedFirst = new Set<string>();
  const consumer = await bus.consume({
    durable: service,
    filterSubjects: [serviceSubjectFilter(service)],
    deadLetters: new PostgresDeadLetters(pool),
    handler: async (event) => {
      if (writeRows) await pool.query('INSERT INTO bench_read_model (stream_name) VALUES ($1) ON CONFLICT DO NOTHING', [event.streamId]);
      const committed = committedAt.get(event.streamId);
      if (committed !== undefined) {
        latencies.push(performance.now() - committed);
        committedAt.delete(event.streamId);
      } else appliedFirst.add(event.streamId); // the row beat the append's return to this process
    },
  });
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
      transport: options.natsUrl ? 'JetStream' : 'in-process bus',
      consumer: writeRows ? 'row per event' : 'delivery only',
      targetPerSecond: options.ratePerSecond,
      appendedPerSecond: events / seconds,
      events,
      applied: latencies.length,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      maxMs: latencies[latencies.length - 1] ?? Number.NaN,
    };
  } finally {
    await publishing.stop();
    await consumer.stop();
    await bus.close();
    await store.close();
    await pool.end();
  }
}
