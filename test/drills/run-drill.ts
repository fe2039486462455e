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
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { signDevToken } from '@haidang/auth';
import { comparePositions, parsePosition } from '@haidang/event-store';
import { JetStreamEventBus } from '@haidang/messaging';
import { discoverServices, startService, type RunningService } from '@haidang/service-kit';
import { startNatsServer, startPostgresServer, type NatsServerHandle, type PostgresServerHandle } from '@haidang/testing';

interface World {
  readonly nats: NatsServerHandle;
  readonly postgres: PostgresServerHandle;
}

type Drill = (world: World, pause: (ms: number) => Promise<void>) => Promise<void>;

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
}

async function drive(url: string, token: string, until: () => boolean, tally: Tally): Promise<void> {
  const worker = async (): Promise<void> => {
    while (!until()) {
      const key = `drill-${randomUUID()}`;
      // Retry the same command (same key) until it is acknowledged: what a careful client does.
      for (;;) {
        let status = 0;
        let body: { id?: string; type?: string } = {};
        try {
          const response = await fetch(`${url}/api/v1/persons`, {
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
          tally.acknowledged.set(key, body.id);
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
  const [nats, postgres] = await Promise.all([startNatsServer(), startPostgresServer()]);
  const bus = new JetStreamEventBus({ servers: nats.url, ackTimeoutMs: 2_000 });
  const casesService = discoverServices(join(__dirname, '..', '..', 'apps')).find((s) => s.name === 'cases');
  if (!casesService) throw new Error('no cases service in apps/');
  let cases: RunningService | undefined;
  try {
    cases = await startService(casesService, {
      databaseUrl: postgres.url,
      port: 0,
      logLevel: 'silent',
      natsUrl: nats.url,
      bus,
      rateLimit: { limit: 1_000_000, windowMs: 60_000 },
    });
    const token = await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] });
    const tally: Tally = { acknowledged: new Map(), fiveHundreds: 0, faults: [], unavailable: 0 };
    let stopping = false;
    const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const load = drive(cases.url, token, () => stopping, tally);
    const started = Date.now();
    await drill({ nats, postgres }, pause);
    await pause(Math.max(0, seconds * 1_000 - (Date.now() - started)));
    stopping = true;
    await load;

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
      return {
        drill: name,
        acknowledged: tally.acknowledged.size,
        events: events.length,
        messages: messages.length,
        lost,
        duplicated: ids.length - inStream.size + (events.length - streams.size),
        'out of order': outOfOrder,
        '5xx': tally.fiveHundreds,
        '503 (outage)': tally.unavailable,
      };
    } finally {
      await pool.end();
    }
  } finally {
    await cases?.stop().catch(() => undefined);
    await bus.close().catch(() => undefined);
    await Promise.all([nats.destroy(), postgres.destroy()]);
  }
}

async function main(): Promise<void> {
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
  const failed = rows.some((r) => r['lost'] !== 0 || r['duplicated'] !== 0 || r['out of order'] !== 0 || r['5xx'] !== 0);
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
