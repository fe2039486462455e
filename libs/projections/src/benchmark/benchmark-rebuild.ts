import { randomUUID } from 'node:crypto';
import { eventStoreMigrations, jsonEvent, PostgresEventStore, runMigrations, type RecordedEvent } from '@haidang/event-store';
import { Pool } from 'pg';
import { Column, DataSource, Entity, PrimaryColumn, type EntityManager } from 'typeorm';
import { projectionsMigrations } from '../migrations/projections.migrations';
import { defineProjection, type ProjectionContext, type ProjectionDefinition } from '../projection-definition';
import type { ProjectionMetrics } from '../projection-metrics';
import { activeVersion, dropProjectionVersion } from '../projection-versions';
import { rebuildProjection } from '../rebuild';

/** The "simple projection" of the benchmark: one row per stream, counting its events. */
@Entity({ name: 'bench_stream_summary' })
export class BenchStreamSummary {
  @PrimaryColumn('text', { name: 'stream_id' })
  streamId!: string;

  @Column('integer')
  events!: number;

  @Column('text', { name: 'last_type' })
  lastType!: string;

  @Column('bigint', { name: 'last_prepare' })
  lastPrepare!: string;
}

const BENCH_TYPES = ['RehabCaseOpened', 'ProgressNoted', 'ProgressNoted', 'RehabCaseClosed'] as const;

function summarise(event: RecordedEvent, _em: unknown, ctx: ProjectionContext): void {
  ctx.upsert(
    BenchStreamSummary,
    { streamId: event.streamId, events: 1, lastType: event.type, lastPrepare: event.position.prepare.toString() },
    { increment: ['events'] },
  );
}

/** The same projection with one statement per event through the EntityManager: the baseline the buffer is measured against. */
async function summariseOneByOne(event: RecordedEvent, em: EntityManager): Promise<void> {
  await em.query(
    `INSERT INTO bench_stream_summary AS s (stream_id, events, last_type, last_prepare) VALUES ($1, 1, $2, $3)
     ON CONFLICT (stream_id) DO UPDATE SET events = s.events + 1, last_type = EXCLUDED.last_type, last_prepare = EXCLUDED.last_prepare`,
    [event.streamId, event.type, event.position.prepare.toString()],
  );
}

export function benchSummaryProjection(version: number, handlers: 'buffered' | 'statement-per-event' = 'buffered'): ProjectionDefinition {
  const handler = handlers === 'buffered' ? summarise : summariseOneByOne;
  return defineProjection({
    name: 'bench_summary',
    version,
    entities: [BenchStreamSummary],
    handlers: Object.fromEntries(BENCH_TYPES.map((type) => [type, handler])),
  });
}

export interface BenchmarkRebuildOptions {
  /** An empty database (or one holding only earlier benchmark data); migrations are applied here. */
  readonly connectionString: string;
  /** Events to append before measuring (default 100,000), spread over `streams` streams (default 2,000). */
  readonly events?: number;
  readonly streams?: number;
  /** Events per rebuild transaction (default 1,000). */
  readonly batchSize?: number;
  /** 'buffered' (default): the handlers' writes coalesced per batch; 'statement-per-event': the baseline. */
  readonly handlers?: 'buffered' | 'statement-per-event';
}

export interface RebuildFigure {
  /** Every event in the store: a rebuild reads the whole log. */
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** Baseline from the same run: the store's readAll from 0 with nothing applied. */
  readonly readAllEventsPerSecond: number;
  readonly batchSize: number;
  readonly handlers: 'buffered' | 'statement-per-event';
}

/**
 * Seeds the store, then rebuilds a simple projection (one upsert per event, coalesced per batch)
 * from position 0 to the head and switches to it: the rate a new projection version is built at.
 */
export async function benchmarkRebuild(options: BenchmarkRebuildOptions): Promise<RebuildFigure> {
  const total = options.events ?? 100_000;
  const streams = options.streams ?? 2_000;
  const batchSize = options.batchSize ?? 1_000;
  const pool = new Pool({ connectionString: options.connectionString, max: 8 });
  const store = new PostgresEventStore({ pool });
  const dataSource = new DataSource({ type: 'postgres', url: options.connectionString, entities: [BenchStreamSummary], poolSize: 4, logging: false });
  try {
    await runMigrations(pool, [...eventStoreMigrations, ...projectionsMigrations]);
    await seed(store, total, streams);
    await dataSource.initialize();

    let started = process.hrtime.bigint();
    let read = 0;
    for await (const _event of store.readAll()) read++;
    const readAllSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    const previous = await activeVersion(dataSource, 'bench_summary');
    const projection = benchSummaryProjection((previous ?? 0) + 1, options.handlers);
    let applied = 0;
    const counting: ProjectionMetrics = {
      track: () => () => undefined,
      eventsApplied: (_projection, count) => {
        applied += count;
      },
      deadLettered: () => undefined,
    };
    started = process.hrtime.bigint();
    const { runner } = await rebuildProjection({ dataSource, store, projection, batchSize, metrics: counting, retire: 'drop' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await runner.stop();
    if (applied !== read) throw new Error(`Rebuild applied ${applied} events, the store holds ${read}`);
    if (previous !== undefined) await dropProjectionVersion(dataSource, 'bench_summary', previous).catch(() => undefined);
    return {
      events: applied,
      seconds,
      eventsPerSecond: applied / seconds,
      readAllEventsPerSecond: read / readAllSeconds,
      batchSize,
      handlers: options.handlers ?? 'buffered',
    };
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await store.close();
    await pool.end();
  }
}

/** Appends `total` events in appends of 50 to one stream each, four appends at a time. */
async function seed(store: PostgresEventStore, total: number, streams: number): Promise<void> {
  const perAppend = 50;
  const streamIds = Array.from({ length: streams }, () => `RehabCase-${randomUUID()}`);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const start = next;
      next += perAppend;
      if (start >= total) return;
      const count = Math.min(perAppend, total - start);
      const stream = streamIds[(start / perAppend) % streams] as string;
      const events = Array.from({ length: count }, (_, i) =>
        jsonEvent({
          type: BENCH_TYPES[(start + i) % BENCH_TYPES.length] as string,
          data: { communeCode: '06793', form: 'VOLUNTARY_COMMUNITY', note: 'progress reviewed with family', seq: start + i },
          metadata: { actor: 'bench', agency: '22-DOLISA' },
        }),
      );
      await store.appendToStream(stream, events);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}
