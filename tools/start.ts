/**
 * `npm start`: the whole platform on one machine, nothing else to install.
 *
 * Without DATABASE_URL it serves an embedded PostgreSQL (PGlite) on loopback, keeping its data in
 * `.haidang/pglite`; without NATS_URL every service shares one in-process event bus (so they run
 * in this one process). It applies every migration, then starts each service listed in SERVICES
 * with its relay. With DATABASE_URL and NATS_URL set, run the services one process each instead
 * (`npm run start:<service>`).
 */
import { join } from 'node:path';
import { Pool } from 'pg';
import { eventStoreMigrations, PostgresEventStore, runMigrations } from '@haidang/event-store';
import { resolveDatabaseUrl } from '@haidang/embedded';
import { ensureEventStream, EventRelay, InProcessEventBus, JetStreamEventBus, messagingMigrations, type EventBus } from '@haidang/messaging';
import { projectionsMigrations } from '@haidang/projections';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

/** What a service needs from the platform to run inside `npm start`. */
export interface PlatformContext {
  readonly databaseUrl: string;
  readonly bus: EventBus;
  readonly embedded: boolean;
}

export interface ServiceEntry {
  readonly name: string;
  readonly port: number;
  start(context: PlatformContext): Promise<{ stop(): Promise<void> }>;
}

/** Services join here as they are built (cases 3001, referrals 3002, … projections 3006). */
const SERVICES: readonly ServiceEntry[] = [];

async function openBus(natsUrl: string | undefined): Promise<EventBus> {
  if (!natsUrl) return new InProcessEventBus();
  const nc = await connect({ servers: natsUrl });
  await ensureEventStream(await jetstreamManager(nc));
  await nc.close();
  return new JetStreamEventBus({ servers: natsUrl });
}

async function main(): Promise<void> {
  const started = Date.now();
  // HAIDANG_DATA_DIR lets a second copy (or the start-up test) keep its data elsewhere.
  const dataDir = process.env.HAIDANG_DATA_DIR?.trim() || join(__dirname, '..', '.haidang', 'pglite');
  const database = await resolveDatabaseUrl(process.env, { dataDir });
  const pool = new Pool({ connectionString: database.url, max: 4 });
  pool.on('error', () => undefined);
  await runMigrations(pool, [...eventStoreMigrations, ...messagingMigrations, ...projectionsMigrations]);
  const bus = await openBus(process.env.NATS_URL?.trim() || undefined);

  const store = new PostgresEventStore({ pool, namedStatements: !database.embedded });
  const relay = new EventRelay({ service: 'platform', store, pool, bus });
  relay.start();

  const context: PlatformContext = { databaseUrl: database.url, bus, embedded: database.embedded !== undefined };
  const running: Array<{ stop(): Promise<void> }> = [];
  for (const service of SERVICES) running.push(await service.start(context));

  const lines = [
    `Hải Đăng is up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    `  database   ${database.embedded ? `embedded PGlite (data in ${dataDir}), ${database.url}` : 'DATABASE_URL'}`,
    `  transport  ${process.env.NATS_URL ? `NATS JetStream at ${process.env.NATS_URL}` : 'in-process event bus'}`,
    SERVICES.length === 0
      ? '  services   none yet: the platform (event store, relay, projections runtime) is ready for them'
      : SERVICES.map((s) => `  ${s.name.padEnd(10)} http://127.0.0.1:${s.port}/api/docs`).join('\n'),
    'Stop with Ctrl-C.',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    for (const service of running.reverse()) await service.stop();
    await relay.stop();
    await store.close();
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
