import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { signDevToken } from '@haidang/auth';
import { PLATFORM_MIGRATIONS } from '@haidang/service-kit';
import { createTestDatabase, startNatsServer } from '@haidang/testing';
import { compiledTree, startServiceProcess, type ServiceProcess } from './service-process';

const AGENCY = '22-COMMUNE-06793';

export interface CommandLoadFigure {
  readonly command: string;
  readonly connections: number;
  readonly commandsPerSecond: number;
  readonly non2xx: number;
  readonly statusCounts: Record<string, number>;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** GET /health/live of the same service process, same connections and duration, measured just before. */
  readonly baselineRequestsPerSecond: number;
  readonly ratio: number;
  /** The service process's CPU per command (ms), from /proc: what the command costs the server. */
  readonly serviceCpuMsPerCommand: number;
  /** Resident set size of the service process (MB) at the end of the command's run. */
  readonly serviceRssMbAfter: number;
}

export interface CommandPathOptions {
  readonly connections?: number;
  readonly durationSeconds?: number;
  /** Adds the service's environment (e.g. LOG_LEVEL). */
  readonly env?: Readonly<Record<string, string>>;
  /** Profile each command's load in its own service process and return the breakdown. */
  readonly profileDir?: string;
  /** Run a compiled tree (see startServiceProcess; `BENCH_RUNTIME=compiled` builds one) instead of the TypeScript loader. */
  readonly compiledRoot?: string;
  /** Only these commands (default: all three, or those named by `--commands=a,b` on the command line). */
  readonly commands?: readonly CommandName[];
}

const COMMAND_NAMES: readonly CommandName[] = ['progress-note', 'register-person', 'open-employment-record'];

/** `npm run bench -- --only=e --commands=register-person`: the commands named on the command line, if any. */
function commandsFromArgv(argv: readonly string[] = process.argv): readonly CommandName[] | undefined {
  const value = argv.find((a) => a.startsWith('--commands='))?.split('=')[1];
  if (value === undefined) return undefined;
  const names = value.split(',').filter(Boolean);
  const unknown = names.filter((n) => !(COMMAND_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`--commands: unknown command ${unknown.join(', ')} (known: ${COMMAND_NAMES.join(', ')})`);
  return names as CommandName[];
}

export type CommandName = 'progress-note' | 'register-person' | 'open-employment-record';

export interface CommandPathResult {
  readonly figures: CommandLoadFigure[];
  readonly profiles: Record<string, ProfileBreakdown>;
}

/**
 * The HTTP command path of the cases service run as its own process (`npm run start:cases`, log
 * level info, logs drained): a change command (POST /rehab-cases/{id}/progress-notes, one case per
 * connection with its current ETag) and a create command (POST /persons, a new name each time) at
 * `connections`, each against GET /health/live of the same process measured just before it.
 */
export async function benchmarkCommandPath(options: CommandPathOptions = {}): Promise<CommandPathResult> {
  const connections = options.connections ?? 16;
  const durationSeconds = options.durationSeconds ?? 10;
  const database = await createTestDatabase({ migrations: PLATFORM_MIGRATIONS });
  const figures: CommandLoadFigure[] = [];
  const profiles: Record<string, ProfileBreakdown> = {};
  try {
    for (const command of options.commands ?? commandsFromArgv() ?? COMMAND_NAMES) {
      const profileDir = options.profileDir === undefined ? undefined : join(options.profileDir, command);
      if (profileDir !== undefined) {
        rmSync(profileDir, { recursive: true, force: true });
        mkdirSync(profileDir, { recursive: true });
      }
      // The employment service's create command runs on its own process (it calls no other service).
      const service = await startServiceProcess(command === 'open-employment-record' ? 'employment' : 'cases', {
        env: { DATABASE_URL: database.url, NATS_URL: '', PORT: '0', LOG_LEVEL: 'info', ...options.env },
        ...(profileDir === undefined ? {} : { cpuProfileDir: profileDir }),
        ...(options.compiledRoot === undefined ? {} : { compiledRoot: options.compiledRoot }),
      });
      try {
        const baseline = await autocannon({ url: `${service.url}/health/live`, connections, duration: Math.max(3, durationSeconds / 2) });
        const run =
          command === 'progress-note'
            ? await progressNotes(service, connections, durationSeconds)
            : command === 'register-person'
              ? await registerPersons(service, connections, durationSeconds)
              : await openEmploymentRecords(service, connections, durationSeconds);
        figures.push({
          ...run,
          serviceRssMbAfter: service.rssMb(),
          command,
          connections,
          baselineRequestsPerSecond: baseline.requests.average,
          ratio: run.commandsPerSecond / baseline.requests.average,
        });
      } finally {
        await service.stop();
      }
      if (profileDir !== undefined) {
        const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
        if (file !== undefined) profiles[command] = breakdownOf(JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile);
      }
    }
  } finally {
    await database.drop();
  }
  return { figures, profiles };
}

type Run = Omit<CommandLoadFigure, 'command' | 'connections' | 'baselineRequestsPerSecond' | 'ratio' | 'serviceRssMbAfter'>;

async function caseworkerToken(sub: string): Promise<string> {
  return signDevToken({ agency: AGENCY, roles: ['caseworker'], units: ['06793'], sub });
}

function personBody(n: string): string {
  return JSON.stringify({
    fullName: `Nguyễn Văn ${n}`,
    dateOfBirth: '1990-01-01',
    sex: 'MALE',
    residence: { provinceCode: '22', communeCode: '06793', address: 'Benchmark' },
  });
}

/** Random letters: every registered person gets a name of its own (duplicate detection then finds no candidates). */
function randomName(): string {
  const letters = 'abcdeghiklmnopqrstuvxy';
  let name = '';
  for (let i = 0; i < 10; i++) name += letters[Math.floor(Math.random() * letters.length)];
  return name.charAt(0).toUpperCase() + name.slice(1);
}

async function post(url: string, token: string, body: unknown, etag?: string): Promise<{ body: Record<string, unknown>; etag: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  if (etag) headers['if-match'] = etag;
  const response = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`bench setup: POST ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return { body: (text ? JSON.parse(text) : {}) as Record<string, unknown>, etag: response.headers.get('etag') ?? '' };
}

async function progressNotes(service: ServiceProcess, connections: number, durationSeconds: number): Promise<Run> {
  const setupToken = await caseworkerToken('bench-setup');
  const person = await post(`${service.url}/api/v1/persons`, setupToken, personBody(randomName()));
  const personId = person.body['id'] as string;
  const lanes: { id: string; etag: string; token: string }[] = [];
  for (let c = 0; c < connections; c++) {
    const created = await post(`${service.url}/api/v1/rehab-cases`, setupToken, {
      personId,
      source: 'SELF_DECLARATION',
      form: 'VOLUNTARY_COMMUNITY',
      legalBasis: { decisionNo: `${c + 1}/QĐ-UBND`, decisionDate: '2026-08-03', issuedBy: 'COMMUNE_CHAIR' },
      termMonths: 6,
    });
    const id = created.body['id'] as string;
    const determined = await post(
      `${service.url}/api/v1/rehab-cases/${id}/addiction-determination`,
      setupToken,
      { determinedOn: '2026-08-04', facilityId: 'QN-TTYT-HL', result: 'ADDICTED' },
      created.etag,
    );
    const started = await post(`${service.url}/api/v1/rehab-cases/${id}/start`, setupToken, { startedOn: '2026-08-05' }, determined.etag);
    lanes.push({ id, etag: started.etag, token: await caseworkerToken(`bench-${c}`) });
  }
  const body = JSON.stringify({ notedOn: '2026-09-01', note: 'Attended all counselling sessions.' });
  return measureLanes(
    service,
    durationSeconds,
    lanes.map((lane): autocannon.Request => ({
      method: 'POST',
      path: `/api/v1/rehab-cases/${lane.id}/progress-notes`,
      setupRequest: (request) => ({
        ...request,
        body,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${lane.token}`, 'if-match': lane.etag },
      }),
      onResponse: (status, _body, _context, headers) => {
        const etag = headers?.['etag'] ?? headers?.['ETag'];
        if (status === 200 && typeof etag === 'string') lane.etag = etag;
      },
    })),
  );
}

async function registerPersons(service: ServiceProcess, connections: number, durationSeconds: number): Promise<Run> {
  const tokens = await Promise.all(Array.from({ length: connections }, (_, c) => caseworkerToken(`bench-${c}`)));
  return measureLanes(
    service,
    durationSeconds,
    tokens.map((token): autocannon.Request => ({
      method: 'POST',
      path: '/api/v1/persons',
      setupRequest: (request) => ({
        ...request,
        body: personBody(randomName()),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      }),
    })),
  );
}

/** The employment centre opens a record per request (a new person id each time: a new stream). */
async function openEmploymentRecords(service: ServiceProcess, connections: number, durationSeconds: number): Promise<Run> {
  const tokens = await Promise.all(
    Array.from({ length: connections }, (_, c) => signDevToken({ agency: '22-EMPLOYMENT_CENTRE', roles: ['caseworker'], units: ['22'], sub: `bench-${c}` })),
  );
  return measureLanes(
    service,
    durationSeconds,
    tokens.map((token): autocannon.Request => ({
      method: 'POST',
      path: '/api/v1/employment-records',
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({
          personId: randomUUID(),
          communeCode: '06793',
          openedOn: '2026-08-03',
          need: 'WANTS_WORK',
          skills: 'Biết hàn cơ bản.',
          preferences: 'Ca ngày.',
        }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      }),
    })),
  );
}

/**
 * One autocannon instance of one connection per lane (autocannon resets its per-connection context
 * between requests); latencies from every instance, percentiles over all of them; the service's CPU
 * read from /proc before and after.
 */
async function measureLanes(service: ServiceProcess, durationSeconds: number, requests: autocannon.Request[]): Promise<Run> {
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const cpuBefore = processCpuMs(service.pid);
  const runs = requests.map((request) => {
    const instance = autocannon({ url: service.url, connections: 1, duration: durationSeconds, requests: [request] });
    (instance as unknown as NodeJS.EventEmitter).on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
    });
    return instance;
  });
  const results = await Promise.all(runs);
  const cpuMs = processCpuMs(service.pid) - cpuBefore;
  const seconds = Math.max(...results.map((r) => r.duration)) || durationSeconds;
  const ok = Object.entries(statusCounts).reduce((sum, [status, count]) => (status.startsWith('2') ? sum + count : sum), 0);
  latencies.sort((a, b) => a - b);
  return {
    commandsPerSecond: ok / seconds,
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    statusCounts,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    serviceCpuMsPerCommand: ok === 0 ? Number.NaN : cpuMs / ok,
  };
}

/** utime + stime of a process in ms, from /proc/<pid>/stat (clock ticks of 10 ms on Linux). */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

// ---- CPU profile breakdown ------------------------------------------------------------------

interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Share of the busy (non-idle) samples per part of the command path, in %. */
export type ProfileBreakdown = Record<string, number>;

/**
 * Each sample goes to the first category (in this order) that any frame of its stack belongs to:
 * logging first (a log line under a guard is logging's cost), then auth, validation, encryption, the
 * access record, append, load, decide, the pg driver (socket reads and result parsing happen outside
 * the awaiting stack, so they are the driver's, shared by load and append), the response, the
 * framework (Nest, Express and its middleware), Node's HTTP, GC. Idle samples are left out.
 */
const CATEGORIES: readonly (readonly [string, (frame: CpuProfileNode['callFrame']) => boolean])[] = [
  // The access-log and request-logger middlewares call the rest of the chain synchronously: their
  // frames sit under most of the request's work, so only pino's own frames and the line-writing
  // functions count as logging (the old pino-http middleware was charged with everything after it).
  [
    'logging',
    (f) => /node_modules\/(pino|sonic-boom|@pinojs)/.test(f.url) || (/logging\/logging/.test(f.url) && /^(complete|write|redact)/.test(f.functionName)),
  ],
  ['auth', (f) => /libs\/auth\/|node_modules\/jose/.test(f.url)],
  // The hostile-shape middleware calls the rest of the chain too: only its walk counts.
  [
    'validation',
    (f) =>
      /class-validator|class-transformer|problem\/validation|validator\/|\.request\.dto/.test(f.url) ||
      (/hostile-input/.test(f.url) && /hostile|Hostile/.test(f.functionName)),
  ],
  ['encryption', (f) => /libs\/pii\//.test(f.url)],
  ['access record', (f) => /libs\/audit\//.test(f.url)],
  [
    'append',
    (f) =>
      /event-store\/src\/postgres\/append-sql/.test(f.url) ||
      (/event-store/.test(f.url) && /append/i.test(f.functionName)) ||
      (/aggregate-store/.test(f.url) && f.functionName === 'append'),
  ],
  ['load', (f) => (/event-store/.test(f.url) && /read/i.test(f.functionName)) || (/aggregate-store/.test(f.url) && /load|events/.test(f.functionName))],
  ['decide', (f) => /\.decider\.|libs\/decider\//.test(f.url)],
  // In `npm run start:<service>` the service's projections and relay run in its process: work after the commit.
  [
    'projections & relay (after the commit)',
    (f) =>
      /libs\/projections\/|libs\/messaging\/|node_modules\/typeorm|apps\/[^/]+\/src\/(projections|queries)\//.test(f.url) ||
      /readAllPage|follow/.test(f.functionName),
  ],
  ['pg driver', (f) => /node_modules\/pg/.test(f.url)],
  ['response', (f) => /problem\/|answerHttp|http-adapter|express\/lib\/response|etag|send\//.test(f.url) || f.functionName === 'stringify'],
  ['rate limit & metrics', (f) => /rate-limit|throttler|prom-client|ops\/metrics/.test(f.url)],
  [
    'framework (Nest, Express, middleware)',
    (f) =>
      /node_modules\/(@nestjs|express|router|body-parser|helmet|raw-body|rxjs|qs|finalhandler|on-finished|type-is)/.test(f.url) ||
      /http-platform\/src\/context/.test(f.url),
  ],
  ['service code (other)', (f) => /apps\/|libs\//.test(f.url) && !/node_modules/.test(f.url)],
  [
    'node http & net',
    (f) => /node:_http|node:net|node:internal\/(http|stream|net)|_http_/.test(f.url) || f.functionName === 'writev' || f.functionName === 'writeBuffer',
  ],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
];

export function breakdownOf(profile: CpuProfile): ProfileBreakdown {
  const parent = new Map<number, number>();
  const byId = new Map<number, CpuProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const categoryOf = new Map<number, string | undefined>();
  const classify = (id: number): string | undefined => {
    if (categoryOf.has(id)) return categoryOf.get(id);
    const frames: CpuProfileNode['callFrame'][] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node) frames.push(node.callFrame);
    }
    const leaf = frames[0]?.functionName;
    let category: string | undefined = leaf === '(idle)' ? undefined : 'other (V8, Node internals)';
    if (category !== undefined) {
      for (const [name, matches] of CATEGORIES) {
        if (frames.some(matches)) {
          category = name;
          break;
        }
      }
    }
    categoryOf.set(id, category);
    return category;
  };
  const micros: Record<string, number> = {};
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const category = classify(id);
    if (category === undefined) return;
    const delta = profile.timeDeltas[i] ?? 0;
    micros[category] = (micros[category] ?? 0) + delta;
    busy += delta;
  });
  const shares: ProfileBreakdown = {};
  for (const [name, value] of Object.entries(micros).sort((a, b) => b[1] - a[1])) shares[name] = Math.round((1000 * value) / busy) / 10;
  return shares;
}

// ---- memory of a service process under load (issue 17 §5) ----------------------------------

export interface MemorySample {
  readonly second: number;
  readonly rssMb: number;
  readonly commands: number;
}

export interface ServiceMemoryOptions {
  readonly seconds: number;
  readonly connections?: number;
  /** Run the compiled tree (see startServiceProcess) instead of the TypeScript loader. */
  readonly compiledRoot?: string;
  readonly nodeOptions?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Distributed mode: a throwaway nats-server of its own (JetStream), as deployed. Without it the
   * service runs on the in-process transport, whose stream keeps every published event in memory.
   */
  readonly distributed?: boolean;
}

/**
 * The cases service as its own process under mixed commands (rounds of 10 s of progress notes on
 * fresh cases, then 10 s of person registrations) for `seconds`; its RSS after start and after each
 * round. Tells what the TypeScript loader costs (compare with `compiledRoot`) and whether memory
 * grows under steady load.
 */
export async function benchmarkServiceMemory(
  options: ServiceMemoryOptions,
): Promise<{ readonly startedRssMb: number; readonly samples: MemorySample[]; readonly serviceCpuMsPerCommand: number }> {
  const connections = options.connections ?? 8;
  const database = await createTestDatabase({ migrations: PLATFORM_MIGRATIONS });
  // Its own server: on a shared one this process would answer other processes' request/reply calls.
  const nats = options.distributed === true ? await startNatsServer() : undefined;
  try {
    const service = await startServiceProcess('cases', {
      env: { DATABASE_URL: database.url, NATS_URL: nats?.url ?? '', PORT: '0', LOG_LEVEL: 'info', ...options.env },
      ...(options.compiledRoot === undefined ? {} : { compiledRoot: options.compiledRoot }),
      ...(options.nodeOptions === undefined ? {} : { nodeOptions: options.nodeOptions }),
    });
    try {
      const startedRssMb = service.rssMb();
      const cpuBefore = processCpuMs(service.pid);
      const samples: MemorySample[] = [];
      const started = Date.now();
      let commands = 0;
      for (let round = 0; Date.now() - started < options.seconds * 1000; round++) {
        const run = round % 2 === 0 ? await progressNotes(service, connections, 10) : await registerPersons(service, connections, 10);
        commands += Object.entries(run.statusCounts).reduce((sum, [status, count]) => (status.startsWith('2') ? sum + count : sum), 0);
        samples.push({ second: Math.round((Date.now() - started) / 1000), rssMb: Math.round(service.rssMb() * 10) / 10, commands });
      }
      return { startedRssMb, samples, serviceCpuMsPerCommand: commands === 0 ? Number.NaN : (processCpuMs(service.pid) - cpuBefore) / commands };
    } finally {
      await service.stop();
    }
  } finally {
    await nats?.destroy();
    await database.drop();
  }
}

/**
 * `npm run bench -- --only=m [--memory-seconds=600]`: the cases service in distributed mode (its own
 * nats-server) under mixed commands, run as the image runs it (compiled tree) and through the
 * TypeScript loader (`npm run start:cases`); RSS at start, halfway and at the end (issue 17 §5: ≤ 150 MB,
 * no growth in the second half beyond noise).
 */
export async function runServiceMemorySection(options: { readonly quick: boolean }): Promise<Record<string, unknown>> {
  const inline = process.argv.find((a) => a.startsWith('--memory-seconds='))?.split('=')[1];
  const seconds = Number(inline ?? (options.quick ? 60 : 300));
  console.log(`(m) RSS of the cases service process under mixed commands for ${seconds} s, distributed mode (own nats-server), 8 connections`);
  const results: Record<string, unknown> = {};
  const rows: Record<string, unknown>[] = [];
  for (const runtime of ['compiled (as the image)', 'TypeScript loader (npm run start:cases)'] as const) {
    const result = await benchmarkServiceMemory({
      seconds,
      distributed: true,
      ...(runtime.startsWith('compiled') ? { compiledRoot: compiledTree() } : {}),
    });
    results[runtime] = result;
    const half = result.samples.find((s) => s.second >= seconds / 2) ?? result.samples[0];
    const last = result.samples.at(-1);
    rows.push({
      runtime,
      'RSS MB at start': Math.round(result.startedRssMb),
      'RSS MB halfway': Math.round(half?.rssMb ?? Number.NaN),
      'RSS MB max': Math.round(Math.max(...result.samples.map((s) => s.rssMb))),
      'RSS MB at end': Math.round(last?.rssMb ?? Number.NaN),
      'growth 2nd half MB': Math.round((last?.rssMb ?? Number.NaN) - (half?.rssMb ?? Number.NaN)),
      commands: last?.commands ?? 0,
      'service CPU ms/command': result.serviceCpuMsPerCommand.toFixed(2),
      target: '≤ 150 MB',
    });
  }
  console.table(rows);
  return results;
}
