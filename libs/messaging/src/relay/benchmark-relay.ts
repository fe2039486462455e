import { randomBytes, randomUUID } from 'node:crypto';
import { comparePositions, jsonEvent, PostgresEventStore, START } from '@haidang/event-store';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { Pool } from 'pg';
import { ensureEventStream } from '../jetstream/ensure-event-stream';
import { JetStreamEventBus } from '../jetstream/jetstream-event-bus';
import { silentLogger } from '../logger';
import { EventRelay } from './event-relay';

export interface RelayBenchmarkOptions {
  /** A database with `eventStoreMigrations` and `messagingMigrations` applied. */
  readonly pool: Pool;
  readonly natsUrl: string;
  /** Events appended before the clock starts (default 50,000). */
  readonly events?: number;
  /** The relay's batch size (default 1000). */
  readonly batchSize?: number;
  /** Stream storage (default 'file', as in production). */
  readonly storage?: 'file' | 'memory';
}

export interface RelayBenchmarkResult {
  /** Events the relay published and checkpointed (the whole log of the database). */
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly batchSize: number;
}

/**
 * Catch-up throughput of the relay: appends `events` (not timed), then times one relay publishing
 * the whole log to a JetStream stream of its own, from its first read to its last checkpoint.
 * The stream is deleted afterwards; the events stay in the database.
 */
export async function benchmarkRelay(options: RelayBenchmarkOptions): Promise<RelayBenchmarkResult> {
  const count = options.events ?? 50_000;
  const batchSize = options.batchSize ?? 1000;
  const id = randomBytes(4).toString('hex');
  const streamName = `BENCH_${id.toUpperCase()}`;
  const subjectPrefix = `bench${id}.evt`;
  const store = new PostgresEventStore({ pool: options.pool, listen: false });

  await seed(store, count);
  const nc = await connect({ servers: options.natsUrl, reconnect: false });
  const jsm = await jetstreamManager(nc);
  await ensureEventStream(jsm, { name: streamName, subjects: [`${subjectPrefix}.>`], storage: options.storage ?? 'file' });
  const bus = new JetStreamEventBus({ servers: options.natsUrl, stream: streamName });
  const relay = new EventRelay({
    service: 'bench',
    relayId: `bench-${id}`,
    subjectPrefix,
    store,
    pool: options.pool,
    bus,
    batchSize,
    logger: silentLogger,
  });
  try {
    const head = await store.headPosition();
    const started = process.hrtime.bigint();
    relay.start();
    for (;;) {
      const { rows } = await options.pool.query<{ commit: string; prepare: string }>(
        'SELECT position_commit::text AS commit, position_prepare::text AS prepare FROM messaging_relay_checkpoints WHERE relay_id = $1',
        [relay.relayId],
      );
      const row = rows[0];
      const reached = row ? { commit: BigInt(row.commit), prepare: BigInt(row.prepare) } : START;
      if (comparePositions(reached, head) >= 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const events = (await jsm.streams.info(streamName)).state.messages;
    return { events, seconds, eventsPerSecond: events / seconds, batchSize };
  } finally {
    await relay.stop();
    await bus.close();
    await jsm.streams.delete(streamName).catch(() => undefined);
    await nc.close();
    await store.close();
  }
}

/** 100 events per append, 4 writers: fast enough that seeding does not dominate the run. */
async function seed(store: PostgresEventStore, count: number): Promise<void> {
  let remaining = count;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (remaining > 0) {
        const n = Math.min(100, remaining);
        remaining -= n;
        const events = Array.from({ length: n }, (_, i) =>
          jsonEvent({
            type: i === 0 ? 'RehabCaseOpened' : 'ProgressNoted',
            data: { note: 'Tham gia sinh hoạt câu lạc bộ sau cai nghiện', week: i, commune: '06793' },
            metadata: { actor: 'bench', agency: '22-REHAB_FACILITY-1', correlationId: randomUUID(), causationId: randomUUID(), commandId: randomUUID() },
          }),
        );
        await store.appendToStream(`RehabCase-${randomUUID()}`, events, { expectedRevision: 'no_stream' });
      }
    }),
  );
}
