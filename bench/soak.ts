/**
 * `npm run soak -- --minutes N [--rate R]` (not in CI): every service as its own process in
 * distributed mode (a database each, a throwaway nats-server with JetStream), under a fixed rate of
 * mixed commands and reads. Each minute it prints throughput, p99, relay and projection lag and the
 * RSS of every service process; at the end it writes the figures (JSON) and a PNG chart of them to
 * bench/results/. Run with @swc-node/register (the services need decorator metadata).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signDevToken } from '@haidang/auth';
import { createTestDatabase, startNatsServer, startSharedTestServers, stopSharedTestServers, type TestDatabase } from '@haidang/testing';
import { percentile } from './command-path.bench';
import { renderSoakChart } from './soak-chart';
import { startServiceProcess, type ServiceProcess } from './service-process';

const SERVICES = ['cases', 'referrals', 'employment', 'campaigns', 'cross-border', 'projections'] as const;
const AGENCY = '22-COMMUNE-06793';

export interface SoakMinute {
  readonly minute: number;
  /** Answered requests per second (2xx, and 404 where the read asks for an id that does not exist). */
  readonly requestsPerSecond: number;
  readonly commandsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  /** Errors by method, route and status (or `network`). */
  readonly errorsByKind: Record<string, number>;
  /** Sum over the services of haidang_relay_lag_events. */
  readonly relayLagEvents: number;
  /** Max over the projections of haidang_projection_lag_events (every service's own read models). */
  readonly projectionLagEvents: number;
  /** Max over the sources of haidang_projections_source_lag_seconds (the projections service's inbox). */
  readonly projectionsSourceLagSeconds: number;
  readonly rssMb: Record<string, number>;
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const inline = process.argv.find((a) => a.startsWith(`--${name}=`));
  const raw = inline ? inline.split('=')[1] : index >= 0 ? process.argv[index + 1] : undefined;
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/** Sum (or max) of a metric's samples in a Prometheus text exposition. */
function metricValues(text: string, name: string): number[] {
  const values: number[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) values.push(value);
  }
  return values;
}

interface Lane {
  readonly id: string;
  etag: string;
  busy: boolean;
}

export async function runSoak(options: { minutes: number; rate: number; label?: string }): Promise<{ minutes: SoakMinute[]; chart: string; json: string }> {
  await startSharedTestServers();
  const nats = await startNatsServer();
  const databases: TestDatabase[] = [];
  const services: ServiceProcess[] = [];
  const minutes: SoakMinute[] = [];
  try {
    for (const name of SERVICES) {
      const database = await createTestDatabase();
      databases.push(database);
      services.push(
        await startServiceProcess(name, { env: { DATABASE_URL: database.url, NATS_URL: nats.url, PORT: '0', LOG_LEVEL: 'info' }, startTimeoutMs: 180_000 }),
      );
      console.log(`${name} started (pid ${services.at(-1)?.pid})`);
    }
    const url = (name: string): string => services.find((s) => s.name === name)?.url as string;
    const token = await signDevToken({ agency: AGENCY, roles: ['caseworker', 'supervisor'], units: ['06793'], sub: 'soak' });
    // Reads of other services as the agencies that may make them.
    const guard = await signDevToken({ agency: '22-BORDER_GUARD', roles: ['caseworker'], units: ['22'], sub: 'soak-guard' });
    const analyst = await signDevToken({ agency: '22-PPC', roles: ['analyst'], units: ['22'], sub: 'soak-analyst' });
    const tokenFor = (target: string): string => (target.startsWith(url('cross-border')) ? guard : target.startsWith(url('projections')) ? analyst : token);
    const headers = (target: string, etag?: string): Record<string, string> => ({
      'content-type': 'application/json',
      authorization: `Bearer ${tokenFor(target)}`,
      ...(etag ? { 'if-match': etag } : {}),
    });

    let latencies: number[] = [];
    let answered = 0;
    let commands = 0;
    let errors = 0;
    let errorsByKind: Record<string, number> = {};
    const call = async (method: 'GET' | 'POST', target: string, body?: unknown, etag?: string, notFoundIsAnswer = false) => {
      const started = performance.now();
      try {
        const response = await fetch(target, { method, headers: headers(target, etag), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
        const text = await response.text();
        latencies.push(performance.now() - started);
        if (response.ok || (notFoundIsAnswer && response.status === 404)) {
          answered++;
          if (method === 'POST') commands++;
          return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, etag: response.headers.get('etag') ?? '' };
        }
        errors++;
        const key = `${method} ${new URL(target).pathname.replace(/[0-9a-f-]{36}/g, ':id')} ${response.status}`;
        errorsByKind[key] = (errorsByKind[key] ?? 0) + 1;
        return { status: response.status, body: {}, etag: '' };
      } catch {
        errors++;
        errorsByKind['network'] = (errorsByKind['network'] ?? 0) + 1;
        return { status: 0, body: {}, etag: '' };
      }
    };

    const persons: string[] = [];
    const lanes: Lane[] = [];
    const letters = 'abcdeghiklmnopqrstuvxy';
    const name = (): string => Array.from({ length: 8 }, () => letters[Math.floor(Math.random() * letters.length)]).join('');
    const registerPerson = async () => {
      const r = await call('POST', `${url('cases')}/api/v1/persons`, {
        fullName: `Trần Thị ${name()}`,
        dateOfBirth: '1991-02-03',
        sex: 'FEMALE',
        residence: { provinceCode: '22', communeCode: '06793', address: 'Soak' },
      });
      if (r.status === 201) persons.push(r.body['id'] as string);
    };
    const openCase = async () => {
      const personId = persons[Math.floor(Math.random() * persons.length)];
      if (personId === undefined) return registerPerson();
      const created = await call('POST', `${url('cases')}/api/v1/rehab-cases`, {
        personId,
        source: 'SELF_DECLARATION',
        form: 'VOLUNTARY_COMMUNITY',
        legalBasis: { decisionNo: `${lanes.length + 1}/QĐ-UBND`, decisionDate: '2026-08-03', issuedBy: 'COMMUNE_CHAIR' },
        termMonths: 6,
      });
      if (created.status !== 201) return;
      const id = created.body['id'] as string;
      const determined = await call(
        'POST',
        `${url('cases')}/api/v1/rehab-cases/${id}/addiction-determination`,
        { determinedOn: '2026-08-04', facilityId: 'QN-TTYT-HL', result: 'ADDICTED' },
        created.etag,
      );
      if (determined.status !== 200) return;
      const started = await call('POST', `${url('cases')}/api/v1/rehab-cases/${id}/start`, { startedOn: '2026-08-05' }, determined.etag);
      if (started.status === 200) lanes.push({ id, etag: started.etag, busy: false });
    };
    const noteProgress = async () => {
      const lane = lanes.filter((l) => !l.busy)[Math.floor(Math.random() * lanes.length)];
      if (lane === undefined) return openCase();
      lane.busy = true;
      const r = await call('POST', `${url('cases')}/api/v1/rehab-cases/${lane.id}/progress-notes`, { notedOn: '2026-09-01', note: 'Soak note.' }, lane.etag);
      if (r.status === 200) lane.etag = r.etag;
      lane.busy = false;
    };
    const absent = '0193a2b0-0000-7000-8000-00000000abcd';
    const reads: Array<() => Promise<unknown>> = [
      () => (lanes.length ? call('GET', `${url('cases')}/api/v1/rehab-cases/${lanes[Math.floor(Math.random() * lanes.length)]?.id}`) : Promise.resolve()),
      () => call('GET', `${url('cases')}/api/v1/rehab-cases`),
      () => call('GET', `${url('referrals')}/api/v1/referrals?direction=incoming`),
      () => call('GET', `${url('employment')}/api/v1/employment-records`),
      () => call('GET', `${url('campaigns')}/api/v1/activities/${absent}`, undefined, undefined, true),
      () => call('GET', `${url('cross-border')}/api/v1/records/${absent}`, undefined, undefined, true),
      () => call('GET', `${url('projections')}/api/v1/indicators?provinceCode=22&unitLevel=PROVINCE&period=2026`),
    ];
    // The mix per tick: 10% register a person, 10% open a case (3 commands), 40% note progress, 40% a read.
    const operation = (): Promise<unknown> => {
      const dice = Math.random();
      if (dice < 0.1) return registerPerson();
      if (dice < 0.2) return openCase();
      if (dice < 0.6) return noteProgress();
      return (reads[Math.floor(Math.random() * reads.length)] as () => Promise<unknown>)();
    };

    const inFlight = new Set<Promise<unknown>>();
    const intervalMs = 1000 / options.rate;
    const endAt = Date.now() + options.minutes * 60_000;
    let minuteStart = Date.now();
    let minute = 0;
    const scrape = async (): Promise<Pick<SoakMinute, 'relayLagEvents' | 'projectionLagEvents' | 'projectionsSourceLagSeconds'>> => {
      let relayLagEvents = 0;
      let projectionLagEvents = 0;
      let projectionsSourceLagSeconds = 0;
      for (const service of services) {
        const text = await fetch(`${service.url}/metrics`)
          .then((r) => r.text())
          .catch(() => '');
        relayLagEvents += metricValues(text, 'haidang_relay_lag_events').reduce((a, b) => a + b, 0);
        projectionLagEvents = Math.max(projectionLagEvents, ...metricValues(text, 'haidang_projection_lag_events'));
        projectionsSourceLagSeconds = Math.max(projectionsSourceLagSeconds, ...metricValues(text, 'haidang_projections_source_lag_seconds'));
      }
      return { relayLagEvents, projectionLagEvents, projectionsSourceLagSeconds };
    };
    console.log(`soak: ${options.minutes} min at ${options.rate} operations/s (mixed), ${SERVICES.length} service processes`);
    let next = Date.now();
    while (Date.now() < endAt) {
      if (inFlight.size < 64) {
        const p = operation().finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      next += intervalMs;
      const wait = next - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      // Each minute, and the last one as the run ends (the loop would otherwise end before its report).
      if (Date.now() - minuteStart >= 60_000 || (Date.now() >= endAt && Date.now() - minuteStart >= 30_000)) {
        const seconds = (Date.now() - minuteStart) / 1000;
        minuteStart = Date.now();
        minute++;
        const sorted = latencies.sort((a, b) => a - b);
        latencies = [];
        const p50Ms = percentile(sorted, 0.5);
        const p99Ms = percentile(sorted, 0.99);
        const lags = await scrape();
        const figure: SoakMinute = {
          minute,
          requestsPerSecond: answered / seconds,
          commandsPerSecond: commands / seconds,
          p50Ms,
          p99Ms,
          errors,
          errorsByKind,
          ...lags,
          rssMb: Object.fromEntries(services.map((s) => [s.name, Math.round(s.rssMb())])),
        };
        answered = 0;
        commands = 0;
        errors = 0;
        errorsByKind = {};
        minutes.push(figure);
        console.log(
          `min ${minute}: ${figure.requestsPerSecond.toFixed(1)} req/s (${figure.commandsPerSecond.toFixed(1)} commands/s), p50 ${figure.p50Ms.toFixed(1)} ms, p99 ${figure.p99Ms.toFixed(1)} ms, errors ${figure.errors} ${JSON.stringify(figure.errorsByKind)}, relay lag ${figure.relayLagEvents}, projection lag ${figure.projectionLagEvents} events / source ${figure.projectionsSourceLagSeconds.toFixed(2)} s, RSS MB ${JSON.stringify(figure.rssMb)}`,
        );
      }
    }
    await Promise.all(inFlight);
  } finally {
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
    for (const database of databases) await database.drop().catch(() => undefined);
    await nats.destroy().catch(() => undefined);
    await stopSharedTestServers();
  }
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const json = join(dir, `soak-${stamp}.json`);
  writeFileSync(json, JSON.stringify({ minutes: options.minutes, rate: options.rate, perMinute: minutes }, null, 2));
  const chart = join(dir, `soak-${stamp}.png`);
  await renderSoakChart(minutes, chart, `Soak: ${options.minutes} min at ${options.rate} ops/s, ${SERVICES.length} services (distributed)`);
  return { minutes, chart, json };
}

if (require.main === module) {
  runSoak({ minutes: argument('minutes', 10), rate: argument('rate', 40) })
    .then(({ chart, json }) => {
      console.log(`figures: ${json}\nchart: ${chart}`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
