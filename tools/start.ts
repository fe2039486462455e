/**
 * `npm start`: the whole platform on one machine, nothing else to install.
 *
 * Without DATABASE_URL it serves an embedded PostgreSQL (PGlite) on loopback, keeping its data in
 * `.haidang/pglite`; without NATS_URL every service shares one in-process event bus and calls the
 * others (request/reply) on in-process brokers, so they run in this one process. It applies every
 * migration, then starts each service listed in SERVICES, in order; each runs its own relay,
 * publishing the streams of its own aggregates (the embedded database holds every service's
 * streams, a deployed service has a database of its own). On the embedded default it loads demo
 * data the first time: the cases demo, then demo referrals about its persons. With DATABASE_URL
 * and NATS_URL set, run the services one process each instead (`npm run start:<service>`).
 */
import { join } from 'node:path';
import { Pool } from 'pg';
import { eventStoreMigrations, runMigrations } from '@haidang/event-store';
import { resolveDatabaseUrl } from '@haidang/embedded';
import { messagingMigrations, type EventBus, type InProcessRpcBroker } from '@haidang/messaging';
import { openEventBus } from '@haidang/service-runtime';
import { projectionsMigrations } from '@haidang/projections';
import { startCasesService } from '../apps/cases/src/cases-service';
import { startReferralsService } from '../apps/referrals/src/referrals-service';
import { demoTokens, loadDemoData, tokenLines } from './demo-data';
import { loadDemoReferrals, referralLines, referralTokens } from './demo-referrals';

/** What a service started by `npm start` hands to the services started after it. */
export interface PlatformOffers {
  /** The in-process broker the cases service answers `cases.*` requests on (no NATS_URL). */
  readonly casesRpcBroker?: InProcessRpcBroker;
}

/** What a service needs from the platform to run inside `npm start`. */
export interface PlatformContext {
  readonly databaseUrl: string;
  readonly bus: EventBus;
  readonly embedded: boolean;
  /** Request/reply between services over NATS here; undefined: the in-process transport. */
  readonly natsUrl: string | undefined;
  /** What the services listed before this one offer. */
  readonly offers: PlatformOffers;
}

export interface StartedService {
  readonly url: string;
  readonly offers?: PlatformOffers;
  stop(): Promise<void>;
}

export interface ServiceEntry {
  readonly name: string;
  start(context: PlatformContext): Promise<StartedService>;
}

/**
 * Services join here as they are built (cases 3001, referrals 3002, … projections 3006), in the
 * order they start: a service that calls another comes after it. Each `<NAME>_PORT` (0: any free
 * port) lets a second copy or the start-up test run beside one on the default port.
 */
const SERVICES: readonly ServiceEntry[] = [
  {
    name: 'cases',
    start: async ({ databaseUrl, bus, natsUrl }) => {
      const running = await startCasesService({ databaseUrl, port: Number(process.env.CASES_PORT ?? 3001), bus, natsUrl: natsUrl ?? '', sharedDatabase: true });
      return {
        url: running.url,
        offers: running.rpc.transport === 'in-process' ? { casesRpcBroker: running.rpc.broker } : {},
        stop: () => running.stop(),
      };
    },
  },
  {
    name: 'referrals',
    start: async ({ databaseUrl, bus, natsUrl, offers }) => {
      // Referrals asks cases about persons and cases: over NATS, or on the broker cases listens on here.
      if (!natsUrl && !offers.casesRpcBroker) throw new Error('referrals needs the cases service started before it in this process');
      const running = await startReferralsService({
        databaseUrl,
        port: Number(process.env.REFERRALS_PORT ?? 3002),
        bus,
        // Every service of `npm start` keeps its streams in the one database: each relay publishes its own.
        sharedDatabase: true,
        natsUrl: natsUrl ?? '',
        ...(offers.casesRpcBroker ? { rpcBroker: offers.casesRpcBroker } : {}),
      });
      return { url: running.url, stop: () => running.stop() };
    },
  },
];

async function main(): Promise<void> {
  const started = Date.now();
  // One machine, one terminal: the summary below is what a user needs to see, not a JSON line per
  // route and per demo request. LOG_LEVEL=info npm start shows every request.
  const logLevel = process.env.LOG_LEVEL?.trim() || 'warn';
  process.env.LOG_LEVEL = logLevel;
  // HAIDANG_DATA_DIR lets a second copy (or the start-up test) keep its data elsewhere.
  const dataDir = process.env.HAIDANG_DATA_DIR?.trim() || join(__dirname, '..', '.haidang', 'pglite');
  const database = await resolveDatabaseUrl(process.env, { dataDir });
  const pool = new Pool({ connectionString: database.url, max: 4 });
  pool.on('error', () => undefined);
  await runMigrations(pool, [...eventStoreMigrations, ...messagingMigrations, ...projectionsMigrations]);
  const natsUrl = process.env.NATS_URL?.trim() || undefined;
  const bus = await openEventBus(natsUrl);

  const running: Array<{ name: string; url: string; stop(): Promise<void> }> = [];
  let offers: PlatformOffers = {};
  for (const service of SERVICES) {
    const up = await service.start({ databaseUrl: database.url, bus, embedded: database.embedded !== undefined, natsUrl, offers });
    running.push({ name: service.name, url: up.url, stop: () => up.stop() });
    offers = { ...offers, ...up.offers };
  }

  // Demo data and dev tokens on the embedded default only: a DATABASE_URL names a real database.
  const demoLines: string[] = [];
  const casesUrl = running.find((s) => s.name === 'cases')?.url;
  if (database.embedded && !process.env.DATABASE_URL?.trim() && casesUrl) {
    const demoStarted = Date.now();
    const demo = await loadDemoData(casesUrl);
    demoLines.push(
      demo.loaded
        ? `  demo data  loaded in ${((Date.now() - demoStarted) / 1000).toFixed(1)} s: ${demo.persons} persons, ${demo.cases} rehab cases (Quảng Ninh; 2022 and 2026)`
        : '  demo data  already present (loaded on the first start)',
      `  demo case  ${demo.sampleCaseId}`,
      ...tokenLines(casesUrl, await demoTokens(), demo.sampleCaseId),
    );
    // After the cases demo: the referrals are about its persons and cases.
    const referralsUrl = running.find((s) => s.name === 'referrals')?.url;
    if (referralsUrl) {
      const referralsStarted = Date.now();
      const referrals = await loadDemoReferrals(referralsUrl);
      demoLines.push(...referralLines(referralsUrl, referrals, await referralTokens(), (Date.now() - referralsStarted) / 1000));
    }
  }

  const lines = [
    `Hải Đăng is up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    `  database   ${database.embedded ? `embedded PGlite (data in ${dataDir}), ${database.url}` : 'DATABASE_URL'}`,
    `  transport  ${natsUrl ? `NATS JetStream at ${natsUrl}` : 'in-process event bus and request/reply'}`,
    `  logs       JSON on stdout at level ${logLevel}${logLevel === 'warn' ? ' (LOG_LEVEL=info npm start shows every request)' : ''}`,
    running.length === 0
      ? '  services   none yet: the platform (event store, relay, projections runtime) is ready for them'
      : running.map((s) => `  ${s.name.padEnd(10)} ${s.url}/api/docs`).join('\n'),
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
    await pool.end();
    await database.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
