/**
 * `npm run bench`: a benchmark, not a test. Every figure is printed beside a baseline measured in
 * the same run on the same database (this machine is shared and noisy: compare ratios, not
 * absolute rates). Results go to bench/results/<time>.json. Run with @swc-node/register, not tsx:
 * the cases service (section e) needs decorator metadata for Nest's dependency injection.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventStoreMigrations } from '@haidang/event-store';
import { messagingMigrations } from '@haidang/messaging';
import { createTestDatabase, resolveTestNatsUrl, startSharedTestServers, stopSharedTestServers } from '@haidang/testing';
import { benchmarkAppends, benchmarkReplay } from './append.bench';
import { benchmarkRebuild } from '@haidang/projections';
import { benchmarkRelayAgainstRawPublish } from './relay.bench';
import { benchmarkProgressNotes } from './progress-notes.bench';

const quick = process.argv.includes('--quick');

async function main(): Promise<void> {
  await startSharedTestServers(); // uses DATABASE_URL / NATS_URL when set, else throwaway servers
  const database = await createTestDatabase({ migrations: [...eventStoreMigrations, ...messagingMigrations] });
  const results: Record<string, unknown> = { startedAt: new Date().toISOString(), node: process.version, quick };
  try {
    console.log('(a) append: event store vs raw parameterized INSERT of the same rows, same database');
    const appends = await benchmarkAppends(database.url, { durationMs: quick ? 1000 : 3000, writerCounts: [1, 8, 16], batchSizes: [1, 10] });
    console.table(
      appends.map((f) => ({
        writers: f.writers,
        'events/tx': f.eventsPerTransaction,
        'store events/s': Math.round(f.storeEventsPerSecond),
        'raw INSERT events/s': Math.round(f.rawInsertEventsPerSecond),
        ratio: f.ratio.toFixed(2),
        target: f.writers >= 8 ? '≥ 0.70' : '',
        'client CPU µs/event store | raw': `${f.storeClientCpuMicrosPerEvent.toFixed(1)} | ${f.rawClientCpuMicrosPerEvent.toFixed(1)}`,
      })),
    );
    results.appends = appends;

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
  } finally {
    await database.drop();
  }

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

  const rebuildDatabase = await createTestDatabase({ migrations: eventStoreMigrations });
  try {
    console.log('(d) projection rebuild from position 0, simple projection (buffered writes, 1,000 events/tx) vs readAll alone and vs one statement per event');
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

  console.log(
    '(e) POST /api/v1/rehab-cases/{id}/progress-notes over HTTP, 16 connections (one case each, current ETag) vs GET /health/live of the same service',
  );
  const notes = await benchmarkProgressNotes({ connections: 16, durationSeconds: quick ? 3 : 10 });
  console.table([
    {
      connections: notes.connections,
      'commands/s': Math.round(notes.commandsPerSecond),
      'p50 ms': notes.p50Ms.toFixed(1),
      'p99 ms': notes.p99Ms.toFixed(1),
      'non-2xx': notes.non2xx,
      'baseline GET /health/live req/s': Math.round(notes.baselineRequestsPerSecond),
      ratio: notes.ratio.toFixed(2),
    },
  ]);
  results.progressNotes = notes;

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
