/**
 * Hostile input to every POST route of every service (issue 10, "done when"): the services are
 * found as `npm start` finds them (apps/<name>/src/service.ts) and started through the service kit,
 * each on its own database; their POST routes come from each one's OpenAPI document, never from a
 * list kept by hand, so a new route or service is fuzzed the day it exists. Generated requests
 * (schema-shaped bodies with hostile values, any JSON, not JSON, nesting past the depth limit,
 * reserved keys; several callers, none, a garbage token) must end with no 5xx, problem+json on
 * every 4xx, and nothing appended by a refused request. Fixed seed; `npm run fuzz` runs 10,000.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { signDevToken } from '@haidang/auth';
import { InProcessRpcBroker } from '@haidang/messaging';
import { discoverServices, PLATFORM_MIGRATIONS, startService, type RunningService } from '@haidang/service-kit';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);
const SEED = 20_261_206;
jest.setTimeout(Math.max(300_000, RUNS * 150));

interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: SchemaRef }> } }>>;
  readonly components?: { readonly schemas?: Record<string, Schema> };
}
interface SchemaRef {
  readonly $ref?: string;
}
interface Schema {
  readonly properties?: Record<string, { example?: unknown; $ref?: string; items?: SchemaRef; enum?: unknown[] }>;
}

/** One POST operation of one service, with what its body should look like when well-formed. */
interface Target {
  readonly service: string;
  readonly path: string;
  /** Property name → a plausible value (its example, or the first enum value). */
  readonly shape: Record<string, unknown>;
}

const CALLERS = {
  commune: { agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] },
  communeSupervisor: { agency: '22-COMMUNE-06793', roles: ['supervisor'], units: ['06793'] },
  dolisa: { agency: '22-DOLISA', roles: ['caseworker', 'supervisor', 'data-protection'], units: ['22'] },
  health: { agency: '22-HEALTH', roles: ['caseworker', 'supervisor'], units: ['22'] },
  provincePolice: { agency: '22-POLICE', roles: ['caseworker', 'supervisor', 'data-protection'], units: ['22'] },
  auditor: { agency: '22-HOME_AFFAIRS', roles: ['auditor'], units: ['22'] },
  facility: { agency: '22-REHAB_FACILITY-1', roles: ['caseworker'], units: ['22'] },
  employment: { agency: '22-EMPLOYMENT_CENTRE', roles: ['caseworker', 'supervisor'], units: ['22'] },
  police: { agency: '20-POLICE', roles: ['caseworker'], units: ['20'] },
  guard: { agency: '20-BORDER_GUARD', roles: ['supervisor'], units: ['20'] },
  supportModel: { agency: '22-SUPPORT_MODEL-3', roles: ['caseworker'], units: ['22'] },
  analyst: { agency: '22-PPC', roles: ['analyst'], units: ['22'] },
} as const;
type Caller = keyof typeof CALLERS | 'none' | 'garbage';
const RESERVED = ['__proto__', 'constructor', 'prototype'] as const;

describe('hostile input to every POST route of every service', () => {
  const databases: TestDatabase[] = [];
  const running = new Map<string, { service: RunningService; db: TestDatabase }>();
  const targets: Target[] = [];
  const tokens = new Map<Caller, string | undefined>([
    ['none', undefined],
    ['garbage', 'not.a.token'],
  ]);

  beforeAll(async () => {
    const broker = new InProcessRpcBroker();
    for (const definition of discoverServices(join(__dirname, '..', '..', 'apps'))) {
      const db = await createTestDatabase({ migrations: [...PLATFORM_MIGRATIONS, ...(definition.migrations ?? [])] });
      databases.push(db);
      const service = await startService(definition, {
        databaseUrl: db.url,
        port: 0,
        logLevel: 'silent',
        natsUrl: '',
        rpcBroker: broker,
        rateLimit: { limit: 1_000_000, windowMs: 60_000, perAddressLimit: 1_000_000 },
      });
      running.set(definition.name, { service, db });
      const document = (await (await fetch(`${service.url}/api/openapi.json`)).json()) as OpenApiDocument;
      for (const [path, operations] of Object.entries(document.paths)) {
        const post = operations['post'];
        if (!post) continue;
        const ref = post.requestBody?.content?.['application/json']?.schema?.$ref;
        const schema = ref ? document.components?.schemas?.[ref.split('/').pop() as string] : undefined;
        const shape: Record<string, unknown> = {};
        for (const [name, property] of Object.entries(schema?.properties ?? {})) {
          shape[name] = property.example ?? property.enum?.[0] ?? null;
        }
        targets.push({ service: definition.name, path, shape });
      }
    }
    for (const [name, claims] of Object.entries(CALLERS)) tokens.set(name as Caller, await signDevToken({ ...claims, roles: [...claims.roles] }));
  });
  afterAll(async () => {
    for (const { service } of [...running.values()].reverse()) await service.stop().catch(() => undefined);
    await Promise.all(databases.map((db) => db.drop()));
  });

  it('finds the POST routes of every service in their OpenAPI documents', () => {
    const services = new Set(targets.map((t) => t.service));
    for (const name of ['cases', 'referrals', 'employment', 'campaigns', 'cross-border']) expect(services).toContain(name);
    expect(targets.length).toBeGreaterThan(20);
  });

  it('answers no 5xx, problem+json on every 4xx, and appends nothing for a refused request', async () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const statuses = new Map<number, number>();
    const pathValue = fc.oneof(fc.uuid(), fc.constant('0193b0c4-0000-7000-8000-000000000001'), fc.string({ maxLength: 30 }));
    const request = fc.record({
      target: fc.constantFrom(...targets),
      ids: fc.array(pathValue, { minLength: 3, maxLength: 3 }),
      caller: fc.constantFrom(...(tokens.keys() as Iterable<Caller>)),
      ifMatch: fc.option(fc.constantFrom('"0"', '"1"', 'W/"0"', '*', 'garbage'), { nil: undefined }),
      body: fc.nat({ max: 99 }),
      mutate: fc.record({ drop: fc.array(fc.nat(), { maxLength: 3 }), value: json, extra: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }) }),
      raw: fc.oneof(
        json.map((value) => ({ text: JSON.stringify(value), hostile: false })),
        fc.string({ maxLength: 120 }).map((text) => ({ text, hostile: false })),
        fc.record({ depth: fc.integer({ min: 33, max: 3_000 }), arrays: fc.boolean() }).map(({ depth, arrays }) => ({
          text: arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
          hostile: true,
        })),
      ),
      reserved: fc.constantFrom(...RESERVED),
    });

    await fc.assert(
      fc.asyncProperty(request, async ({ target, ids, caller, ifMatch, body, mutate, raw, reserved }) => {
        const { service, db } = running.get(target.service) as { service: RunningService; db: TestDatabase };
        let index = 0;
        const path = target.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(ids[index++ % ids.length] as string));
        // Mostly the route's own shape with one field made hostile, so validation and the handlers are reached.
        let text: string;
        let hostile = false;
        if (body < 60) {
          const shaped: Record<string, unknown> = { ...target.shape };
          const names = Object.keys(shaped);
          for (const drop of mutate.drop) if (names.length > 0) delete shaped[names[drop % names.length] as string];
          if (names.length > 0 && body % 3 === 0) shaped[names[body % names.length] as string] = mutate.value;
          if (mutate.extra !== undefined) shaped[`x${mutate.extra}`] = mutate.value;
          text = JSON.stringify(shaped);
        } else if (body < 70) {
          // A reserved key written as raw JSON, so that it is an own property of the parsed body.
          text = `{${JSON.stringify(target.shape).slice(1, -1)}${Object.keys(target.shape).length > 0 ? ',' : ''}${JSON.stringify(reserved)}:{"isAdmin":true}}`;
          hostile = true;
        } else {
          ({ text, hostile } = raw);
        }
        const before = await countEvents(db);
        const token = tokens.get(caller);
        const response = await fetch(`${service.url}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(ifMatch ? { 'if-match': ifMatch } : {}),
          },
          body: text,
        });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const what = `${target.service} POST ${path} as ${caller}: ${response.status}`;
        expect({ what, server: response.status >= 500 }).toEqual({ what, server: false });
        if (hostile) expect({ what, status: response.status }).toEqual({ what, status: 400 });
        if (response.status >= 400) {
          expect({ what, type: response.headers.get('content-type') ?? '' }).toEqual({ what, type: expect.stringContaining('application/problem+json') });
          expect({ what, appended: (await countEvents(db)) - before }).toEqual({ what, appended: 0 });
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    if (process.env['FUZZ_REPORT']) {
      const perService = Object.fromEntries([...running.keys()].map((name) => [name, targets.filter((t) => t.service === name).length]));
      process.stdout.write(
        `${JSON.stringify({ runs: RUNS, postRoutes: perService, statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)) })}\n`,
      );
    }
    // Reaching past the shape check into authentication, authorization, validation and the handlers, else this proves little.
    for (const status of [400, 401, 403]) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
  });
});

async function countEvents(db: TestDatabase): Promise<number> {
  return Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0]?.n);
}
