/**
 * `npm run bench`: a benchmark, not a test. Every figure is printed beside a baseline measured in
 * the same run on the same database (this machine is shared and noisy: compare ratios, not
 * absolute rates). Results go to bench/results/<time>.json. Run with @swc-node/register, not tsx:
 * the cases service (section e) needs decorator metadata for Nest's dependency injection.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreMigrations } from '@haidang/event-store';
import { messagingMigrations } from '@haidang/messaging';
import { createTestDatabase, resolveTestNatsUrl, startSharedTestServers, stopSharedTestServers } from '@haidang/testing';
import { benchmarkAppends, benchmarkReplay } from './append.bench';
import { benchmarkRebuild } from '@haidang/projections';
import { benchmarkRelayAgainstRawPublish } from './relay.bench';
import { benchmarkCommandPath } from './command-path.bench';
import { appendLongStream, generateEvents, measureGrowthFigures, type GrowthFigures } from './growth.bench';
import { benchmarkPeerAppends, benchmarkPeerReads } from './peer.bench';
import { benchmarkCommitToReadModel, READ_MODEL_CONSUMERS, type ReadModelLatencyFigure } from './read-model-latency.bench';
import { runSoak } from './soak';
import { Pool } from 'pg';
import { PostgresEventStore } from '@haidang/event-store';
import { startNatsServer } from '@haidang/testing';

const quick = process.argv.includes('--quick');
/** `--only a,f`: run only these sections (letters as printed). */
const only = (process.argv.find((a) => a.startsWith('--only='))?.split('=')[1] ?? argumentAfter('--only') ?? '').split(',').filter(Boolean);
/** `--events N`: the size of the large store in section (i) (default 1,000,000; 10,000,000 for the note). */
const growthEvents = Number(process.argv.find((a) => a.startsWith('--events='))?.split('=')[1] ?? argumentAfter('--events') ?? (quick ? 200_000 : 1_000_000));
const runs = (section: string): boolean => only.length === 0 || only.includes(section);

function argumentAfter(flag: string): string | undefined {
  const index = process.argv.indexOf(flag);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  await startSharedTestServers(); // uses DATABASE_URL / NATS_URL when set, else throwaway servers
  const database = await createTestDatabase({ migrations: [...eventStoreMigrations, ...messagingMigrations] });
  const results: Record<string, unknown> = { startedAt: new Date().toISOString(), node: process.version, quick, only };
  try {
    if (runs('a')) {
      console.log('(a) append: event store vs raw parameterized INSERT of the same rows, same database');
      const appends = await benchmarkAppends(database.url, { durationMs: quick ? 1000 : 3000, writerCounts: [1, 8, 16], batchSizes: [1, 10] });
      console.table(
        appends.map((f) => ({
          writers: f.writers,
          'events/tx': f.eventsPerTransaction,
          'store events/s': Math.round(f.storeEventsPerSecond),
          'raw INSERT events/s': Math.round(f.rawInsertEventsPerSecond),
          ratio: f.ratio.toFixed(2),
          target: f.writers >= 8 ? '≥ 0.90' : '',
          'client CPU µs/event store | raw': `${f.storeClientCpuMicrosPerEvent.toFixed(1)} | ${f.rawClientCpuMicrosPerEvent.toFixed(1)}`,
          'server CPU µs/event store | raw': `${f.storeServerCpuMicrosPerEvent?.toFixed(1) ?? '-'} | ${f.rawServerCpuMicrosPerEvent?.toFixed(1) ?? '-'}`,
        })),
      );
      const topWaits = (waits: Readonly<Record<string, number>>): string =>
        Object.entries(waits)
          .slice(0, 4)
          .map(([what, share]) => `${what} ${Math.round(share * 100)}%`)
          .join(', ');
      console.log('(a) what the backends were doing (pg_stat_activity samples; "ClientRead (idle)" is waiting for the client)');
      console.table(
        appends.map((f) => ({ writers: f.writers, 'events/tx': f.eventsPerTransaction, store: topWaits(f.storeWaits), raw: topWaits(f.rawWaits) })),
      );
      results.appends = appends;
    }

    if (runs('b')) {
      console.log('(b) readAll replay from position 0');
      const replay = await benchmarkReplay(database.url);
      console.table([
        {
          events: replay.events,
          'readAll events/s': Math.round(replay.eventsPerSecond),
          'raw SELECT events/s': Math.round(replay.rawSelectEventsPerSecond),
          ratio: replay.ratio.toFixed(2),
          target: '≥ 50,000 events/s',
        },
      ]);
      results.replay = replay;
    }
  } finally {
    await database.drop();
  }

  if (runs('c')) {
    const relayDatabase = await createTestDatabase({ migrations: [...eventStoreMigrations, ...messagingMigrations] });
    try {
      console.log('(c) relay to JetStream (catch-up of a backlog) vs raw JetStream publish, 256 in flight');
      const relay = await benchmarkRelayAgainstRawPublish(relayDatabase.pool, await resolveTestNatsUrl(), quick ? 10_000 : 50_000);
      console.table([
        {
          events: relay.events,
          'relay events/s': Math.round(relay.relayEventsPerSecond),
          'raw publish events/s': Math.round(relay.rawPublishEventsPerSecond),
          ratio: relay.ratio.toFixed(2),
          target: '≥ 10,000 events/s',
        },
      ]);
      results.relay = relay;
    } finally {
      await relayDatabase.drop();
    }
  }

  if (runs('d')) {
    const rebuildDatabase = await createTestDatabase({ migrations: eventStoreMigrations });
    try {
      console.log(
        '(d) projection rebuild from position 0, simple projection (buffered writes, 1,000 events/tx) vs readAll alone and vs one statement per event',
      );
      const events = quick ? 20_000 : 100_000;
      const buffered = await benchmarkRebuild({ connectionString: rebuildDatabase.url, events });
      const perEvent = await benchmarkRebuild({ connectionString: rebuildDatabase.url, events: 0, handlers: 'statement-per-event' });
      console.table([
        {
          events: buffered.events,
          'rebuild events/s': Math.round(buffered.eventsPerSecond),
          'readAll alone events/s': Math.round(buffered.readAllEventsPerSecond),
          'ratio to readAll': (buffered.eventsPerSecond / buffered.readAllEventsPerSecond).toFixed(2),
          'one statement/event events/s': Math.round(perEvent.eventsPerSecond),
          target: '≥ 20,000 events/s',
        },
      ]);
      results.rebuild = { buffered, perEvent };
    } finally {
      await rebuildDatabase.drop();
    }
  }

  if (runs('e')) {
    console.log(
      '(e) HTTP command path of a service as its own process (npm run start:<service>, LOG_LEVEL=info), 16 connections: cases — a change command (progress note) and a create command (register person); employment — a create command (open an employment record); each vs GET /health/live of the same process',
    );
    // `--profile`: each command's service process runs under --cpu-prof; the breakdown is printed (the profiler costs a little).
    const profileDir = process.argv.includes('--profile') ? join(tmpdir(), 'haidang-bench-profiles') : undefined;
    const commandPath = await benchmarkCommandPath({ connections: 16, durationSeconds: quick ? 4 : 10, ...(profileDir ? { profileDir } : {}) });
    console.table(
      commandPath.figures.map((f) => ({
        command: f.command,
        'commands/s': Math.round(f.commandsPerSecond),
        'p50 ms': f.p50Ms.toFixed(1),
        'p99 ms': f.p99Ms.toFixed(1),
        'non-2xx': f.non2xx,
        'baseline GET /health/live req/s': Math.round(f.baselineRequestsPerSecond),
        ratio: f.ratio.toFixed(2),
        target: '≥ 0.40, p99 ≤ 50 ms',
        'service CPU ms/command': f.serviceCpuMsPerCommand.toFixed(2),
        'service RSS MB after': Math.round(f.serviceRssMbAfter),
      })),
    );
    if (Object.keys(commandPath.profiles).length > 0) {
      console.log('(e) CPU profile of the service process, % of busy samples by part of the path (see breakdownOf in command-path.bench.ts)');
      console.table(commandPath.profiles);
    }
    results.commandPath = commandPath;
  }

  if (runs('f')) {
    const peerDatabase = await createTestDatabase({ migrations: eventStoreMigrations });
    try {
      console.log("(f) the peer: Emmett's PostgreSQL event store (0.42) and ours, the same events on the same database, alternating");
      const peer = await benchmarkPeerAppends(peerDatabase.url, { durationMs: quick ? 1000 : 3000, writerCounts: [1, 8, 16], batchSizes: [1, 10] });
      console.table(
        peer.figures.map((f) => ({
          writers: f.writers,
          'events/tx': f.eventsPerTransaction,
          'ours events/s': Math.round(f.oursEventsPerSecond),
          'Emmett events/s': Math.round(f.emmettEventsPerSecond),
          'ratio ours/Emmett': f.ratio.toFixed(2),
          target: f.writers >= 8 ? '≥ 2.5' : '',
          'client CPU µs/event ours | Emmett': `${f.oursClientCpuMicrosPerEvent.toFixed(1)} | ${f.emmettClientCpuMicrosPerEvent.toFixed(1)}`,
        })),
      );
      const reads = await benchmarkPeerReads(peerDatabase.url, peer.ourStreams, peer.emmettStreams);
      console.table([
        {
          events: reads.events,
          'ours readAll events/s': Math.round(reads.oursReadAllEventsPerSecond),
          'ours readStream events/s': Math.round(reads.oursReadStreamEventsPerSecond),
          'Emmett readStream events/s': Math.round(reads.emmettReadStreamEventsPerSecond),
          'readAll / Emmett streams': reads.readAllRatio.toFixed(2),
          target: '≥ 2',
          'readStream / Emmett streams': reads.readStreamRatio.toFixed(2),
        },
      ]);
      results.peer = { appends: peer.figures, reads };
    } finally {
      await peerDatabase.drop();
    }
  }

  if (runs('g')) {
    console.log('(g) commit → read model: appends at a fixed rate, relay to the bus, a durable consumer writing one row per event (p99 goal ≤ 100 ms)');
    const nats = await startNatsServer();
    const figures: ReadModelLatencyFigure[] = [];
    try {
      for (const natsUrl of [undefined, nats.url])
        for (const consumer of READ_MODEL_CONSUMERS)
          for (const rate of [500, 1000]) {
            const db = await createTestDatabase({ migrations: [...eventStoreMigrations, ...messagingMigrations] });
            try {
              figures.push(
                await benchmarkCommitToReadModel({
                  databaseUrl: db.url,
                  ...(natsUrl ? { natsUrl } : {}),
                  ratePerSecond: rate,
                  durationSeconds: quick ? 3 : 10,
                  consumer,
                }),
              );
            } finally {
              await db.drop();
            }
          }
    } finally {
      await nats.destroy();
    }
    console.table(
      figures.map((f) => ({
        transport: f.transport,
        consumer: f.consumer,
        'target/s': f.targetPerSecond,
        'appended/s': Math.round(f.appendedPerSecond),
        applied: `${f.applied}/${f.events}`,
        'p50 ms': f.p50Ms.toFixed(1),
        'p99 ms': f.p99Ms.toFixed(1),
        'max ms': f.maxMs.toFixed(1),
      })),
    );
    results.commitToReadModel = figures;
  }

  if (runs('h') && !quick) {
    console.log('(h) memory: every service as its own process (distributed), 2 minutes of mixed load (npm run soak runs it for 10)');
    const soak = await runSoak({ minutes: 2, rate: 20 });
    results.memory = soak.minutes;
    console.log(`chart: ${soak.chart}`);
  }

  if (runs('i')) {
    console.log(`(i) how cost grows: a store of ${growthEvents.toLocaleString('en')} events (generated server-side) vs a small one (30,000)`);
    const growth: GrowthFigures[] = [];
    for (const size of [30_000, growthEvents]) {
      const db = await createTestDatabase({ migrations: eventStoreMigrations });
      const pool = new Pool({ connectionString: db.url, max: 4 });
      const store = new PostgresEventStore({ pool });
      try {
        const seconds = await generateEvents(pool, size);
        await appendLongStream(store, 'Growth-Long');
        growth.push(await measureGrowthFigures(pool, store, size, seconds));
      } finally {
        await store.close();
        await pool.end();
        await db.drop();
      }
    }
    const [small, large] = growth as [GrowthFigures, GrowthFigures];
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.table([
      {
        figure: 'append p50 ms',
        small: small.appendP50Ms.toFixed(2),
        large: large.appendP50Ms.toFixed(2),
        'large/small': ratio(large.appendP50Ms, small.appendP50Ms),
      },
      {
        figure: 'append p99 ms',
        small: small.appendP99Ms.toFixed(2),
        large: large.appendP99Ms.toFixed(2),
        'large/small': ratio(large.appendP99Ms, small.appendP99Ms),
      },
      {
        figure: 'readAll from the middle events/s',
        small: Math.round(small.readAllFromMiddleEventsPerSecond),
        large: Math.round(large.readAllFromMiddleEventsPerSecond),
        'large/small': ratio(small.readAllFromMiddleEventsPerSecond, large.readAllFromMiddleEventsPerSecond),
      },
      {
        figure: '100-event stream load ms',
        small: small.streamLoadMs.toFixed(2),
        large: large.streamLoadMs.toFixed(2),
        'large/small': ratio(large.streamLoadMs, small.streamLoadMs),
      },
      {
        figure: 'catch-up of the last 10,000 events/s',
        small: Math.round(small.catchUpEventsPerSecond),
        large: Math.round(large.catchUpEventsPerSecond),
        'large/small': ratio(small.catchUpEventsPerSecond, large.catchUpEventsPerSecond),
      },
      {
        figure: '10,000-event stream load ms',
        small: small.longStreamLoadMs.toFixed(1),
        large: large.longStreamLoadMs.toFixed(1),
        'large/small': ratio(large.longStreamLoadMs, small.longStreamLoadMs),
      },
    ]);
    console.log(
      `generated ${large.events.toLocaleString('en')} events in ${large.generateSeconds.toFixed(0)} s; 'large/small' is cost on the large store over cost on the small (goal ≤ 1.2)`,
    );
    results.growth = growth;
  }

  // Not in the default run (it takes twice --memory-seconds): `--only=m`.
  if (only.includes('m')) results.serviceMemory = await (await import('./command-path.bench')).runServiceMemorySection({ quick });
  // Not in the default run either: `--only=n` (npm start as a new user runs it, then --memory-seconds of load).
  if (only.includes('n')) results.npmStartMemory = await (await import('./npm-start-memory.bench')).runNpmStartMemorySection({ quick });
  if (runs('j')) results.readVerify = await (await import('./read-verify.bench')).runReadVerifySection({ quick });
  if (runs('k')) results.readModelScale = await (await import('./read-model-scale.bench')).runReadModelScaleSection(process.argv);

  await stopSharedTestServers();
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(results, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2),
  );
  console.log(`results written to ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
