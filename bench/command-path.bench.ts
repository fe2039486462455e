import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { signDevToken } from '@haidang/auth';
import { PLATFORM_MIGRATIONS } from '@haidang/service-kit';
import { createTestDatabase } from '@haidang/testing';
import { startServiceProcess, type ServiceProcess } from './service-process';

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
}

export interface CommandPathOptions {
  readonly connections?: number;
  readonly durationSeconds?: number;
  /** Adds the service's environment (e.g. LOG_LEVEL). */
  readonly env?: Readonly<Record<string, string>>;
  /** Profile each command's load in its own service process and return the breakdown. */
  readonly profileDir?: string;
}

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
    for (const command of ['progress-note', 'register-person', 'open-employment-record'] as const) {
      const profileDir = options.profileDir === undefined ? undefined : join(options.profileDir, command);
      if (profileDir !== undefined) {
        rmSync(profileDir, { recursive: true, force: true });
        mkdirSync(profileDir, { recursive: true });
      }
      // The employment service's create command runs on its own process (it calls no other service).
      const service = await startServiceProcess(command === 'open-employment-record' ? 'employment' : 'cases', {
        env: { DATABASE_URL: database.url, NATS_URL: '', PORT: '0', LOG_LEVEL: 'info', ...options.env },
        ...(profileDir === undefined ? {} : { cpuProfileDir: profileDir }),
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

type Run = Omit<CommandLoadFigure, 'command' | 'connections' | 'baselineRequestsPerSecond' | 'ratio'>;

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
  if (response.status >= 300) throw new Error(`bench setup: POST ${url} answered ${response.status}`);
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
  ['logging', (f) => /node_modules\/pino|logging\/logging|sonic-boom/.test(f.url)],
  ['auth', (f) => /libs\/auth\/|node_modules\/jose/.test(f.url)],
  ['validation', (f) => /class-validator|class-transformer|problem\/validation|hostile-input|validator\/|\.request\.dto/.test(f.url)],
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
