/**
 * Hostile input over real HTTP (issue 10 §4, §7, and the "done when" of the issue): generated
 * requests to the POST routes of a service built on the platform end with no 5xx, and a refused
 * request appends nothing. Fixed seed; `FUZZ_RUNS` raises the count (e.g. FUZZ_RUNS=10000).
 */
import fc from 'fast-check';
import { signDevToken } from '@haidang/auth';
import { eventStoreMigrations } from '@haidang/event-store';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { sampleMigrations, startSampleService } from './sample-service';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
const SEED = 20_261_010;

jest.setTimeout(Math.max(120_000, RUNS * 100));

const validBody = { fullName: 'Hà Thị Thử Nghiệm', personalId: '022090008888', residenceCommuneCode: '06793' };
const RESERVED = ['__proto__', 'constructor', 'prototype'] as const;

/** A body as raw JSON text, and whether the platform must refuse it for its shape (400). */
type Body = { readonly text: string; readonly hostile: boolean };

const json = fc.jsonValue({ maxDepth: 4 });
const deep = fc.record({ depth: fc.integer({ min: 33, max: 6_000 }), arrays: fc.boolean() }).map(({ depth, arrays }): Body => ({
  text: arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  hostile: true,
}));
/** A reserved key at the top or inside a nested object, written as raw JSON so it is an own property. */
const reservedKey = fc.record({ key: fc.constantFrom(...RESERVED), value: json, nested: fc.boolean() }).map(({ key, value, nested }): Body => {
  const inner = `{${JSON.stringify(key)}:${JSON.stringify(value)}}`;
  const fields = JSON.stringify(validBody).slice(1, -1);
  return { text: nested ? `{${fields},"extra":${inner}}` : `{${fields},${inner.slice(1, -1)}}`, hostile: true };
});
const mutated = fc
  .record({ field: fc.constantFrom('fullName', 'personalId', 'residenceCommuneCode', 'isAdmin', 'residence'), value: json })
  .map(({ field, value }): Body => ({ text: JSON.stringify({ ...validBody, [field]: value }), hostile: false }));
const anyJson = json.map((value): Body => ({ text: JSON.stringify(value), hostile: false }));
const notJson = fc.string({ maxLength: 200 }).map((text): Body => ({ text, hostile: false }));
const body = fc.oneof(anyJson, mutated, reservedKey, deep, notJson);

describe('hostile input to every POST route', () => {
  let database: TestDatabase;
  let sample: Awaited<ReturnType<typeof startSampleService>>;
  let tokens: Record<'commune' | 'dataProtection' | 'none' | 'garbage', string | undefined>;

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: [...eventStoreMigrations, ...sampleMigrations] });
    sample = await startSampleService(database.pool, { rateLimit: { limit: 1_000_000, windowMs: 60_000, perAddressLimit: 1_000_000 } });
    tokens = {
      commune: await signDevToken({ agency: '22-COMMUNE-06793', roles: ['caseworker'], units: ['06793'] }),
      dataProtection: await signDevToken({ agency: '22-POLICE', roles: ['data-protection'], units: ['22'] }),
      none: undefined,
      garbage: 'not.a.token',
    };
  });
  afterAll(async () => {
    await sample?.service.app.close();
    await sample?.store.close();
    await database?.drop();
  });

  const eventCount = async () => Number((await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0]?.n);

  const post = async (path: string, text: string, token: string | undefined) =>
    fetch(`${sample.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: text,
    });

  it('answers no 5xx, refuses hostile shapes with 400, and appends nothing for a refused request', async () => {
    const routes = fc.oneof(
      fc.constant('/api/v1/persons'),
      fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })).map((id) => `/api/v1/persons/${encodeURIComponent(id)}/erasure`),
    );
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        routes,
        body,
        fc.constantFrom('commune', 'dataProtection', 'none', 'garbage') as fc.Arbitrary<keyof typeof tokens>,
        async (path, { text, hostile }, who) => {
          const before = await eventCount();
          const response = await post(path, text, tokens[who]);
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          expect(response.status).toBeLessThan(500);
          if (hostile) expect(response.status).toBe(400);
          if (response.status >= 400) expect(await eventCount()).toBe(before);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    // The generators reach past the shape check into validation and authorization, else this proves little.
    expect(statuses.get(400)).toBeGreaterThan(0);
    expect(statuses.get(401)).toBeGreaterThan(0);
  });

  it.each([
    ['arrays 2,000 deep', `${'['.repeat(2_000)}${']'.repeat(2_000)}`],
    ['objects 5,000 deep', `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`],
    ['__proto__', `{"fullName":"x","personalId":"022090008888","residenceCommuneCode":"06793","__proto__":{"isAdmin":true}}`],
    ['constructor', JSON.stringify({ ...validBody, constructor: { prototype: { isAdmin: true } } })],
    ['prototype, nested', JSON.stringify({ ...validBody, fullName: { prototype: 1 } })],
  ])('refuses %s with 400 problem+json from a caller allowed to register', async (_what, text) => {
    const before = await eventCount();
    const response = await post('/api/v1/persons', text, tokens.commune);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await eventCount()).toBe(before);
  });

  it('refuses an unknown field like isAdmin the same way, and registers the valid body', async () => {
    expect((await post('/api/v1/persons', JSON.stringify({ ...validBody, isAdmin: true }), tokens.commune)).status).toBe(400);
    expect((await post('/api/v1/persons', JSON.stringify(validBody), tokens.commune)).status).toBe(201);
  });
});
