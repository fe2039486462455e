import autocannon from 'autocannon';
import { signDevToken } from '@haidang/auth';
import { createTestDatabase } from '@haidang/testing';
import { join } from 'node:path';
import { discoverServices, PLATFORM_MIGRATIONS, startService } from '@haidang/service-kit';

export interface ProgressNotesFigure {
  readonly connections: number;
  readonly durationSeconds: number;
  /** 200 replies per second: commands that appended an event. */
  readonly commandsPerSecond: number;
  readonly ok: number;
  /** Every reply that was not 2xx (409 would mean the ETag tracking is wrong; 429 the rate limit). */
  readonly non2xx: number;
  readonly statusCounts: Record<string, number>;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** GET /health/live on the same service, same connections and duration. */
  readonly baselineRequestsPerSecond: number;
  readonly ratio: number;
}

const AGENCY = '22-COMMUNE-06793';

/**
 * POST /api/v1/rehab-cases/{id}/progress-notes over real HTTP on a fresh database: one case per
 * connection (so If-Match conflicts do not dominate), each connection sending its case's current
 * ETag. One autocannon instance of one connection per case, because autocannon resets its
 * per-connection context between requests; latencies are collected from every instance and the
 * percentiles computed over all of them.
 */
export async function benchmarkProgressNotes(options: { connections?: number; durationSeconds?: number } = {}): Promise<ProgressNotesFigure> {
  const connections = options.connections ?? 16;
  const durationSeconds = options.durationSeconds ?? 10;
  const database = await createTestDatabase({ migrations: PLATFORM_MIGRATIONS });
  // natsUrl '': the in-process transport, so the bench does not depend on (or disturb) a shared broker.
  // The limiter still counts every request (its cost stays in the figure); its limit is out of reach.
  // The cases service from its descriptor, as npm start finds it (tools and benchmarks import no app's code).
  const casesService = discoverServices(join(__dirname, '..', 'apps')).find((s) => s.name === 'cases');
  if (casesService === undefined) throw new Error('no cases service in apps/');
  const cases = await startService(casesService, {
    databaseUrl: database.url,
    port: 0,
    logLevel: 'silent',
    natsUrl: '',
    rateLimit: { limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 },
  });
  try {
    const setupToken = await signDevToken({ agency: AGENCY, roles: ['caseworker'], units: ['06793'], sub: 'bench-setup' });
    const post = async (path: string, body: unknown, etag?: string) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${setupToken}` };
      if (etag) headers['if-match'] = etag;
      const response = await fetch(`${cases.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`bench setup: POST ${path} answered ${response.status}`);
      return { body: (text ? JSON.parse(text) : {}) as Record<string, unknown>, etag: response.headers.get('etag') ?? '' };
    };
    const person = await post('/api/v1/persons', {
      fullName: 'Người Thử Nghiệm',
      dateOfBirth: '1990-01-01',
      sex: 'MALE',
      residence: { provinceCode: '22', communeCode: '06793', address: 'Benchmark' },
    });
    const personId = person.body['id'] as string;

    const lanes: { id: string; etag: string; token: string }[] = [];
    for (let c = 0; c < connections; c++) {
      const created = await post('/api/v1/rehab-cases', {
        personId,
        source: 'SELF_DECLARATION',
        form: 'VOLUNTARY_COMMUNITY',
        legalBasis: { decisionNo: `${c + 1}/QĐ-UBND`, decisionDate: '2026-08-03', issuedBy: 'COMMUNE_CHAIR' },
        termMonths: 6,
      });
      const id = created.body['id'] as string;
      const determined = await post(
        `/api/v1/rehab-cases/${id}/addiction-determination`,
        { determinedOn: '2026-08-04', facilityId: 'QN-TTYT-HL', result: 'ADDICTED' },
        created.etag,
      );
      const started = await post(`/api/v1/rehab-cases/${id}/start`, { startedOn: '2026-08-05' }, determined.etag);
      const token = await signDevToken({ agency: AGENCY, roles: ['caseworker'], units: ['06793'], sub: `bench-${c}` });
      lanes.push({ id, etag: started.etag, token });
    }

    const latencies: number[] = [];
    const statusCounts: Record<string, number> = {};
    const body = JSON.stringify({ notedOn: '2026-09-01', note: 'Attended all counselling sessions.' });
    const runs = lanes.map((lane) => {
      const instance = autocannon({
        url: cases.url,
        connections: 1,
        duration: durationSeconds,
        requests: [
          {
            method: 'POST',
            path: `/api/v1/rehab-cases/${lane.id}/progress-notes`,
            setupRequest: (request) => ({
              ...request,
              body,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${lane.token}`,
                'if-match': lane.etag,
              },
            }),
            onResponse: (status, _body, _context, headers) => {
              const etag = headers?.['etag'] ?? headers?.['ETag'];
              if (status === 200 && typeof etag === 'string') lane.etag = etag;
            },
          },
        ],
      });
      // Without a callback autocannon returns its running instance, which is also a promise of the
      // result; @types/autocannon 7 types it as the promise only, and its 'response' listener
      // without the leading client argument that autocannon 8 passes.
      (instance as unknown as NodeJS.EventEmitter).on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
        latencies.push(responseTime);
        statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
      });
      return instance;
    });
    const results = await Promise.all(runs);
    const seconds = Math.max(...results.map((r) => r.duration)) || durationSeconds;
    const ok = statusCounts['200'] ?? 0;
    const non2xx = results.reduce((sum, r) => sum + r.non2xx, 0);

    const baseline = await autocannon({ url: `${cases.url}/health/live`, connections, duration: durationSeconds });
    const commandsPerSecond = ok / seconds;
    latencies.sort((a, b) => a - b);
    return {
      connections,
      durationSeconds,
      commandsPerSecond,
      ok,
      non2xx,
      statusCounts,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      baselineRequestsPerSecond: baseline.requests.average,
      ratio: commandsPerSecond / baseline.requests.average,
    };
  } finally {
    await cases.stop();
    await database.drop();
  }
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
