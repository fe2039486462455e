/**
 * `npm start`: the whole platform on one machine, nothing else to install.
 *
 * Without DATABASE_URL it serves an embedded PostgreSQL (PGlite) on loopback, keeping its data in
 * `.haidang/pglite`; without NATS_URL every service shares one in-process event bus and calls the
 * others (request/reply) on one in-process broker, so they run in this one process. It applies every
 * migration, then starts every service whose descriptor is in `apps/<name>/src/service.ts`, callees
 * before callers; each runs its own relay, publishing the streams of its own aggregates (the
 * embedded database holds every service's streams, a deployed service has a database of its own).
 * On the embedded default each service loads its demo data the first time, in the same order (the
 * cases demo, then demo referrals about its persons). With DATABASE_URL
 * and NATS_URL set, run the services one process each instead (`npm run start:<service>`).
 */
import { join } from 'node:path';
import { Pool } from 'pg';
import { resolveDatabaseUrl } from '@haidang/embedded';
import { InProcessRpcBroker } from '@haidang/messaging';
import { openEventBus } from '@haidang/service-runtime';
import { startTelemetry } from '@haidang/telemetry';
import { runMigrations } from '@haidang/event-store';
import { discoverServices, PLATFORM_MIGRATIONS, startService, type DemoContext, type RunningService } from '@haidang/service-kit';

async function main(): Promise<void> {
  const started = Date.now();
  // One machine, one terminal: the summary below is what a user needs to see, not a JSON line per
  // route and per demo request. LOG_LEVEL=info npm start shows every request.
  const logLevel = process.env.LOG_LEVEL?.trim() || 'warn';
  process.env.LOG_LEVEL = logLevel;
  // HAIDANG_DATA_DIR lets a second copy (or the start-up test) keep its data elsewhere.
  const dataDir = process.env.HAIDANG_DATA_DIR?.trim() || join(__dirname, '..', '.haidang', 'pglite');
  const services = discoverServices(join(__dirname, '..', 'apps'));
  // Each service holds up to ~14 connections here (pools, lock sessions, listeners).
  const database = await resolveDatabaseUrl(process.env, { dataDir, maxConnections: Math.max(32, 16 * services.length) });
  const pool = new Pool({ connectionString: database.url, max: 1 });
  pool.on('error', () => undefined);
  await runMigrations(pool, PLATFORM_MIGRATIONS);
  await pool.end();
  const natsUrl = process.env.NATS_URL?.trim() || undefined;
  const bus = await openEventBus(natsUrl);
  // OTLP traces when OTEL_EXPORTER_OTLP_ENDPOINT is set (every span names its service).
  const telemetry = startTelemetry({ service: 'haidang-platform' });

  // Every service of this process answers and calls on one in-process broker (without NATS_URL).
  const rpcBroker = new InProcessRpcBroker();
  const running: RunningService[] = [];
  for (const service of services) {
    // <NAME>_PORT (0: any free port) lets a second copy or the start-up test run beside one on the default port.
    const port = Number(process.env[`${service.name.toUpperCase().replace(/-/g, '_')}_PORT`] ?? service.port);
    // Every service of `npm start` keeps its streams in the one database: each relay publishes its own.
    // The embedded database is one backend behind a bounded number of connections (32), shared by
    // every service here: small pools (it runs one statement at a time anyway).
    const pools = database.embedded ? { poolSize: 5, readModelPoolSize: 3 } : {};
    running.push(await startService(service, { databaseUrl: database.url, port, bus, natsUrl: natsUrl ?? '', sharedDatabase: true, rpcBroker, ...pools }));
  }

  // Demo data and dev tokens on the embedded default only: a DATABASE_URL names a real database.
  // Each service loads its own, building on what the earlier ones published: first the services
  // that call no other (their registers are what the others' demos refer to, e.g. campaigns' support
  // models, the receivers of referrals' demo), then the callers in start order (callees first).
  const demoOrder = [...services.filter((s) => (s.calls ?? []).length === 0), ...services.filter((s) => (s.calls ?? []).length > 0)];
  const demoLines: string[] = [];
  if (database.embedded && !process.env.DATABASE_URL?.trim()) {
    const context: { urls: Record<string, string>; earlier: Record<string, Readonly<Record<string, unknown>> | undefined> } = {
      urls: Object.fromEntries(running.map((s) => [s.name, s.url])),
      earlier: {},
    };
    for (const service of demoOrder) {
      if (service.demoData === undefined) continue;
      const demo = await service.demoData(context as DemoContext);
      demoLines.push(...demo.lines);
      context.earlier[service.name] = demo.facts;
    }
  }

  const lines = [
    `Hải Đăng is up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    `  database   ${database.embedded ? `embedded PGlite (data in ${dataDir}), ${database.url}` : 'DATABASE_URL'}`,
    `  transport  ${natsUrl ? `NATS JetStream at ${natsUrl}` : 'in-process event bus and request/reply'}`,
    `  logs       JSON on stdout at level ${logLevel}${logLevel === 'warn' ? ' (LOG_LEVEL=info npm start shows every request)' : ''}`,
    running.length === 0
      ? '  services   none yet: the platform (event store, relay, projections runtime) is ready for them'
      : running.map((s) => `  ${s.name.padEnd(12)} ${s.url}/api/docs`).join('\n'),
    ...demoLines,
    'Stop with Ctrl-C.',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    for (const service of running.reverse()) await service.stop();
    await bus.close();
    await database.stop();
    await telemetry.shutdown();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
