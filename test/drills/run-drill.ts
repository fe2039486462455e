/**
 * `npm run drill -- <name>|all [--seconds N]`: chaos drills for operators (issue 18). Each drill
 * starts throwaway servers (PostgreSQL, nats-server with JetStream), the cases service on them in
 * distributed mode (its own database, relay to JetStream, request/reply over NATS), drives load that
 * retries each command with the same Idempotency-Key until it is acknowledged, breaks something,
 * heals it, and then counts:
 *   acknowledged  commands answered 2xx
 *   events        their events in PostgreSQL
 *   messages      those events in JetStream
 *   lost          acknowledged but missing from PostgreSQL or JetStream
 *   duplicated    an event id twice in JetStream, or a command recorded twice
 *   out of order  JetStream messages not in the store's log order
 *   5xx           answers ≥ 500 other than 503 (503 during an outage is the promised answer)
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { loadOrCreateDevKeys, signDevToken } from '@haidang/auth';
import { comparePositions, parsePosition } from '@haidang/event-store';
import { JetStreamEventBus } from '@haidang/messaging';
import { discoverServices, startService, type RunningService } from '@haidang/service-kit';
import { freePort, startNatsServer, startPostgresServer, type NatsServerHandle, type PostgresServerHandle } from '@haidang/testing';
import { spawnNodeScript, type NodeProcess } from '../support/node-process';

/** The cases service under test: in this process, or (for kill -9) a process of its own. */
interface CasesHandle {
  url(): string;
  /** SIGKILL, no shutdown hooks (only when it runs as its own process). */
  kill(): Promise<void>;
  /** A new process on the same database and NATS; resolves when it listens. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface World {
  readonly nats: NatsServerHandle;
  readonly postgres: PostgresServerHandle;
  readonly cases: CasesHandle;
}

type DrillRun = (world: World, pause: (ms: number) => Promise<void>) => Promise<void>;

interface DrillOptions {
  /** Run cases as its own Node process (so it can be killed -9). */
  readonly ownProcess?: boolean;
  /** Share of acknowledged answers the client acts as if it never got (a response lost after commit): it retries with the same key. */
  readonly dropAnswers?: number;
  /** Also run referrals (its own database) and drive referrals, each of which asks cases over NATS request/reply. */
  readonly crossService?: boolean;
}

type Drill = DrillRun | { readonly run: DrillRun; readonly options: DrillOptions };

const DRILLS: Readonly<Record<string, Drill>> = {
  /** nats-server killed -9 five times under load. */
  'nats-kill': async ({ nats }, pause) => {
    for (let i = 0; i < 5; i++) {
      await pause(1_500);
      await nats.kill();
      await pause(1_000);
      await nats.restart();
    }
  },
  /** NATS down for 25 s (longer than the client's default reconnect budget). */
  'nats-outage': async ({ nats }, pause) => {
    await pause(1_000);
    await nats.kill();
    await pause(25_000);
    await nats.restart();
  },
  /** The JetStream store is lost while the broker is down. */
  'nats-store-lost': async ({ nats }, pause) => {
    await pause(2_000);
    await nats.kill();
    for (const entry of readdirSync(nats.storeDir)) rmSync(join(nats.storeDir, entry), { recursive: true, force: true });
    await nats.restart();
  },
  /** The JetStream store replaced by an older copy of itself (acknowledged messages gone), twice. */
  'nats-store-older': async ({ nats }, pause) => {
    for (let i = 0; i < 2; i++) {
      await pause(1_500);
      await nats.stop();
      const snapshot = mkdtempSync(join(tmpdir(), 'haidang-drill-js-'));
      cpSync(nats.storeDir, snapshot, { recursive: true });
      await nats.restart();
      await pause(2_000);
      await nats.kill();
      for (const entry of readdirSync(nats.storeDir)) rmSync(join(nats.storeDir, entry), { recursive: true, force: true });
      cpSync(snapshot, nats.storeDir, { recursive: true });
      rmSync(snapshot, { recursive: true, force: true });
      await nats.restart();
    }
  },
  /** The cases process killed -9 five times under load, restarted each time. */
  'service-kill': {
    options: { ownProcess: true },
    run: async ({ cases }, pause) => {
      for (let i = 0; i < 5; i++) {
        await pause(2_000);
        await cases.kill();
        await cases.restart();
      }
    },
  },
  /** 10% of acknowledged answers lost on the way back (after the commit): the client retries with the same key. */
  'responses-dropped': { options: { dropAnswers: 0.1 }, run: async (_world, pause) => pause(5_000) },
  /** Referrals calling cases over NATS while NATS is down 25 s: 503 meanwhile, then every retried referral recorded once. */
  'calls-during-outage': {
    options: { crossService: true },
    run: async ({ nats }, pause) => {
      await pause(2_000);
      await nats.kill();
      await pause(25_000);
      await nats.restart();
    },
  },
  /** PostgreSQL stopped for 10 s. */
  'postgres-outage': async ({ postgres }, pause) => {
    await pause(1_500);
    await postgres.stop();
    await pause(10_000);
    await postgres.restart();
  },
};

interface Tally {
  acknowledged: Map<string, string>; // idempotency key → person id
  fiveHundreds: number;
  /** What each unexpected 5xx said (status and problem type), to find its cause. */
  faults: string[];
  unavailable: number;
  dropped: number;
  /** A retry under the same key that answered another id than the first answer: a command recorded twice. */
  retriesAnsweredOther: number;
}

async function drive(url: () => string, token: string, until: () => boolean, tally: Tally, dropAnswers = 0): Promise<void> {
  const worker = async (): Promise<void> => {
    while (!until()) {
      const key = `drill-${randomUUID()}`;
      // Retry the same command (same key) until it is acknowledged: what a careful client does.
      for (;;) {
        let status = 0;
        let body: { id?: string; type?: string } = {};
        try {
          const response = await fetch(`${url()}/api/v1/persons`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
            body: JSON.stringify({
              fullName: 'Người Thử Nghiệm',
              dateOfBirth: '1990-01-01',
              sex: 'MALE',
              residence: { provinceCode: '22', communeCode: '06793', address: 'Drill' },
            }),
            signal: AbortSignal.timeout(10_000),
          });
          status = response.status;
          body = (await response.json()) as { id?: string; type?: string };
        } catch {
          status = 0; // no answer (a dropped connection): retry
        }
        if (status >= 200 && status < 300 && body.id) {
          const earlier = tally.acknowledged.get(key);
          if (earlier !== undefined && earlier !== body.id) tally.retriesAnsweredOther++;
          tally.acknowledged.set(key, body.id);
          // The answer "lost on the way back": committed, but the client does not know and retries.
          if (Math.random() < dropAnswers) {
            tally.dropped++;
            continue;
          }
          break;
        }
        if (status === 503) tally.unavailable++;
        else if (status >= 500) {
          tally.fiveHundreds++;
          tally.faults.push(`${status} ${body.type ?? ''}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

interface ReferralTally {
  acknowledged: Map<string, string>; // idempotency key → referral id
  unavailable: number;
  fiveHundreds: number;
  retriesAnsweredOther: number;
}

/** Two workers creating referrals (each one a call from referrals to cases), retrying a key until it is acknowledged. */
async function driveReferrals(url: string, token: string, personId: string, until: () => boolean, tally: ReferralTally): Promise<void> {
  const worker = async (): Promise<void> => {
    while (!until()) {
      const key = `drill-referral-${randomUUID()}`;
      for (;;) {
        let status = 0;
        let body: { id?: string } = {};
        try {
          const response = await fetch(`${url}/api/v1/referrals`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
            body: JSON.stringify({ personId, toAgency: '22-EMPLOYMENT_CENTRE', serviceType: 'JOB_COUNSELLING', reason: 'Muốn tìm việc', urgency: 'NORMAL' }),
            signal: AbortSignal.timeout(10_000),
          });
          status = response.status;
          body = (await response.json()) as { id?: string };
        } catch {
          status = 0;
        }
        if (status >= 200 && status < 300 && body.id) {
          const earlier = tally.acknowledged.get(key);
          if (earlier !== undefined && earlier !== body.id) tally.retriesAnsweredOther++;
          tally.acknowledged.set(key, body.id);
          break;
        }
        if (status === 503) tally.unavailable++;
        else if (status >= 500) tally.fiveHundreds++;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  };
  await Promise.all(Array.from({ length: 2 }, worker));
}

async function jetStreamMessages(natsUrl: string): Promise<Array<{ id: string; position: string }>> {
  const nc = await connect({ servers: natsUrl, reconnect: false });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info('EVENTS');
    const messages: Array<{ id: string; position: string }> = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const msg = await jsm.streams.getMessage('EVENTS', { seq }).catch(() => null);
      if (!msg || !msg.subject.startsWith('evt.cases.Person.')) continue;
      messages.push({ id: msg.header?.get('Nats-Msg-Id') ?? '', position: msg.header?.get('Hd-Position') ?? '' });
    }
    return messages;
  } finally {
    await nc.close();
  }
}

async function runDrill(name: string, drill: Drill, seconds: number): Promise<Record<string, string | number>> {
  const run = typeof drill === 'function' ? drill : drill.run;
  const options: DrillOptions = typeof drill === 'function' ? {} : drill.options;
  const [nats, postgres] = await Promise.all([startNatsServer(), startPostgresServer()]);
  const bus = new JetStreamEventBus({ servers: nats.url, ackTimeoutMs: 2_000 });
  let cases: CasesHandle | undefined;
  let referrals: RunningService | undefined;
  let referralsDatabaseUrl: string | undefined;
  try {
    cases = options.ownProcess ? await casesProcess(postgres.url, nats.url) : await casesInProcess(postgres.url, nats.url, bus);
    const token = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
    const tally: Tally = { acknowledged: new Map(), fiveHundreds: 0, faults: [], unavailable: 0, dropped: 0, retriesAnsweredOther: 0 };
    let stopping = false;
    const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const handle = cases;
    const load = drive(
      () => handle.url(),
      token,
      () => stopping,
      tally,
      options.dropAnswers ?? 0,
    );
    const referralTally: ReferralTally = { acknowledged: new Map(), unavailable: 0, fiveHundreds: 0, retriesAnsweredOther: 0 };
    let referralsLoad: Promise<void> = Promise.resolve();
    if (options.crossService) {
      referralsDatabaseUrl = await createDatabase(postgres.url, 'referrals_drill');
      const definition = discoverServices(join(__dirname, '..', '..', 'apps')).find((s) => s.name === 'referrals');
      if (!definition) throw new Error('no referrals service in apps/');
      referrals = await startService(definition, {
        databaseUrl: referralsDatabaseUrl,
        port: 0,
        logLevel: 'silent',
        natsUrl: nats.url,
        rateLimit: { limit: 1_000_000, windowMs: 60_000 },
      });
      const person = await fetch(`${handle.url()}/api/v1/persons`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          fullName: 'Người Được Giới Thiệu',
          dateOfBirth: '1991-01-01',
          sex: 'MALE',
          residence: { provinceCode: '22', communeCode: '06793', address: 'Drill' },
        }),
      });
      const personId = ((await person.json()) as { id: string }).id;
      referralsLoad = driveReferrals(referrals.url, token, personId, () => stopping, referralTally);
    }
    const started = Date.now();
    await run({ nats, postgres, cases: handle }, pause);
    await pause(Math.max(0, seconds * 1_000 - (Date.now() - started)));
    stopping = true;
    await load;
    await referralsLoad;

    if (tally.faults.length > 0) console.warn(`${name}: unexpected answers: ${[...new Set(tally.faults)].join(', ')}`);
    // Let the relay drain, then count.
    const pool = new Pool({ connectionString: postgres.url, max: 2 });
    try {
      const stored = async () =>
        (
          await pool.query<{ event_id: string; stream_name: string; transaction_id: string; global_position: string }>(
            `SELECT event_id::text, stream_name, transaction_id::text, global_position::text FROM es_events WHERE stream_name LIKE 'Person-%' ORDER BY transaction_id, global_position`,
          )
        ).rows;
      let events = await stored();
      let messages = await jetStreamMessages(nats.url).catch(() => []);
      for (let i = 0; i < 60 && messages.length < events.length; i++) {
        await pause(500);
        events = await stored();
        messages = await jetStreamMessages(nats.url).catch(() => []);
      }
      const streams = new Set(events.map((e) => e.stream_name.slice('Person-'.length)));
      const ids = messages.map((m) => m.id);
      const inStream = new Set(ids);
      const lost = [...tally.acknowledged.values()].filter((id) => !streams.has(id)).length + events.filter((e) => !inStream.has(e.event_id)).length;
      let outOfOrder = 0;
      for (let i = 1; i < messages.length; i++) {
        if (comparePositions(parsePosition(messages[i - 1]?.position ?? ''), parsePosition(messages[i]?.position ?? '')) >= 0) outOfOrder++;
      }
      let referralColumns: Record<string, number> = {};
      if (options.crossService && referralsDatabaseUrl) {
        const referralsPool = new Pool({ connectionString: referralsDatabaseUrl, max: 1 });
        try {
          const stored = new Set(
            (
              await referralsPool.query<{ id: string }>(
                `SELECT DISTINCT substring(stream_name from 10) AS id FROM es_events WHERE stream_name LIKE 'Referral-%'`,
              )
            ).rows.map((r) => r.id),
          );
          const acknowledged = new Set(referralTally.acknowledged.values());
          referralColumns = {
            'referrals acknowledged': acknowledged.size,
            'referrals lost': [...acknowledged].filter((id) => !stored.has(id)).length,
            'referrals duplicated': Math.max(0, stored.size - acknowledged.size) + referralTally.retriesAnsweredOther,
            'referrals 503': referralTally.unavailable,
          };
          tally.fiveHundreds += referralTally.fiveHundreds;
        } finally {
          await referralsPool.end();
        }
      }
      return {
        drill: name,
        acknowledged: tally.acknowledged.size,
        events: events.length,
        messages: messages.length,
        lost,
        duplicated: ids.length - inStream.size + (events.length - streams.size) + tally.retriesAnsweredOther,
        'out of order': outOfOrder,
        '5xx': tally.fiveHundreds,
        '503 (outage)': tally.unavailable,
        'answers dropped': tally.dropped,
        ...referralColumns,
      };
    } finally {
      await pool.end();
    }
  } finally {
    await referrals?.stop().catch(() => undefined);
    await cases?.stop().catch(() => undefined);
    await bus.close().catch(() => undefined);
    await Promise.all([nats.destroy(), postgres.destroy()]);
  }
}

/** A database of its own on the drill's PostgreSQL server (the services migrate it at start). */
async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new Pool({ connectionString: serverUrl, max: 1 });
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return serverUrl.replace(/\/[^/]*$/, `/${name}`);
}

/** cases on the drill's servers, in this process (startService, as the tests run it). */
async function casesInProcess(databaseUrl: string, natsUrl: string, bus: JetStreamEventBus): Promise<CasesHandle> {
  const casesService = discoverServices(join(__dirname, '..', '..', 'apps')).find((s) => s.name === 'cases');
  if (!casesService) throw new Error('no cases service in apps/');
  const running: RunningService = await startService(casesService, {
    databaseUrl,
    port: 0,
    logLevel: 'silent',
    natsUrl,
    bus,
    rateLimit: { limit: 1_000_000, windowMs: 60_000 },
  });
  return {
    url: () => running.url,
    kill: () => Promise.reject(new Error('an in-process service cannot be killed -9; use ownProcess')),
    restart: () => Promise.reject(new Error('an in-process service is not restarted; use ownProcess')),
    stop: () => running.stop(),
  };
}

/** cases as `npm run start:cases` runs it (its own process), on a fixed port so a restart keeps the URL. */
async function casesProcess(databaseUrl: string, natsUrl: string): Promise<CasesHandle> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NATS_URL: natsUrl,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    JWT_PUBLIC_KEY: loadOrCreateDevKeys().publicKeyPem,
    RATE_LIMIT_PER_PRINCIPAL: '1000000',
    RATE_LIMIT_PERSON_REGISTRATIONS: '1000000',
  };
  let current: NodeProcess = spawnNodeScript('apps/cases/src/main.ts', env);
  await current.waitFor(/cases listening on/, 60_000);
  return {
    url: () => `http://127.0.0.1:${port}`,
    kill: () => current.kill(),
    async restart() {
      current = spawnNodeScript('apps/cases/src/main.ts', env);
      await current.waitFor(/cases listening on/, 60_000);
    },
    stop: async () => void (await current.stop()),
  };
}

async function main(): Promise<void> {
  // The load driver is one principal registering persons as fast as it can (the in-process service reads this too).
  process.env['RATE_LIMIT_PERSON_REGISTRATIONS'] ??= '1000000';
  const args = process.argv.slice(2);
  const secondsFlag = args.indexOf('--seconds');
  const seconds = secondsFlag >= 0 ? Number(args[secondsFlag + 1]) : 20;
  const wanted = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--seconds') ?? 'all';
  const names = wanted === 'all' ? Object.keys(DRILLS) : [wanted];
  const unknown = names.filter((n) => !(n in DRILLS));
  if (unknown.length > 0) {
    console.error(`unknown drill ${unknown.join(', ')}; known: ${Object.keys(DRILLS).join(', ')}, all`);
    process.exit(2);
  }
  const rows: Array<Record<string, string | number>> = [];
  for (const name of names) {
    console.log(`drill ${name}…`);
    rows.push(await runDrill(name, DRILLS[name] as Drill, seconds));
  }
  console.table(rows);
  const failed = rows.some(
    (r) =>
      r['lost'] !== 0 ||
      r['duplicated'] !== 0 ||
      r['out of order'] !== 0 ||
      r['5xx'] !== 0 ||
      (r['referrals lost'] ?? 0) !== 0 ||
      (r['referrals duplicated'] ?? 0) !== 0,
  );
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
