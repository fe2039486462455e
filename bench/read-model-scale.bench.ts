import { join } from 'node:path';
import { Pool } from 'pg';
import { signDevToken } from '@haidang/auth';
import { shippedJurisdiction } from '@haidang/jurisdiction';
import { discoverServices, PLATFORM_MIGRATIONS, startService } from '@haidang/service-kit';
import { createTestDatabase } from '@haidang/testing';
import { percentile } from './command-path.bench';

export interface ReadModelScaleFigure {
  readonly query: string;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Rows the read model holds for the query's filter (the page is 20 of them). */
  readonly matching: number;
}

export interface ReadModelScaleResult {
  readonly cases: number;
  readonly fillSeconds: number;
  readonly figures: readonly ReadModelScaleFigure[];
  /** EXPLAIN (ANALYZE) of the slowest queries' SQL, as the service runs it. */
  readonly plans: Readonly<Record<string, string>>;
}

const STATUSES = ['REGISTERED', 'FORM_DECIDED', 'IN_REHAB', 'COMPLETED', 'POST_REHAB_MANAGEMENT', 'CLOSED', 'DISCONTINUED', 'RELAPSED'];
const FORMS = ['VOLUNTARY_COMMUNITY', 'VOLUNTARY_FACILITY', 'COMPULSORY'];

/**
 * List and search on a large cases read model, through the cases service's HTTP API: the real
 * service started on a throwaway database (its migrations, its projections' schemas), the
 * rehab-cases and persons read models then filled by SQL (generate_series: `cases` cases, one person
 * each, spread evenly over the communes of the 34 provinces), VACUUMed and ANALYZEd, and each query asked `requests` times one after
 * another. Baselines in the same run: GET /health/live over HTTP, and `SELECT 1` and a primary-key
 * lookup on the read model straight from PostgreSQL.
 */
export async function benchmarkReadModelScale(options: { cases: number; requests?: number }): Promise<ReadModelScaleResult> {
  const requests = options.requests ?? 200;
  const database = await createTestDatabase({ migrations: PLATFORM_MIGRATIONS });
  const casesService = discoverServices(join(__dirname, '..', 'apps')).find((s) => s.name === 'cases');
  if (casesService === undefined) throw new Error('no cases service in apps/');
  const service = await startService(casesService, {
    databaseUrl: database.url,
    port: 0,
    logLevel: 'silent',
    natsUrl: '',
    rateLimit: { limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 },
  });
  const pool = new Pool({ connectionString: database.url, max: 2 });
  try {
    const schemas = await activeSchemas(pool, { rehab_cases: 'cases_rehab_cases', persons: 'cases_persons' });
    const fillStarted = performance.now();
    await fill(pool, schemas, options.cases);
    const fillSeconds = (performance.now() - fillStarted) / 1000;

    const communesOf22 = shippedJurisdiction.listCommunes('22').map((u) => u.code);
    const [homeCommune, otherCommune] = communesOf22 as [string, string];
    const commune = await signDevToken({ agency: `22-COMMUNE-${homeCommune}`, roles: ['caseworker'], units: [homeCommune] });
    const province = await signDevToken({ agency: '22-POLICE', roles: ['caseworker'], units: ['22'] });
    const get = async (path: string, token?: string): Promise<{ ms: number; body: { total?: number } }> => {
      const started = performance.now();
      const response = await fetch(`${service.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
      const text = await response.text();
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 200)}`);
      return { ms, body: text.startsWith('{') ? (JSON.parse(text) as { total?: number }) : {} };
    };
    const figures: ReadModelScaleFigure[] = [];
    const measure = async (query: string, run: (i: number) => Promise<{ ms: number; matching?: number }>): Promise<void> => {
      await run(0); // warm: plans cached, pages read
      const times: number[] = [];
      let matching = 0;
      for (let i = 0; i < requests; i++) {
        const r = await run(i);
        times.push(r.ms);
        matching = r.matching ?? matching;
      }
      times.sort((a, b) => a - b);
      figures.push({ query, requests, p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99), matching });
    };
    const http = (path: string, token?: string) => async () => {
      const r = await get(path, token);
      return { ms: r.ms, ...(r.body.total !== undefined ? { matching: r.body.total } : {}) };
    };
    const sql =
      (text: string, params: unknown[] = []) =>
      async () => {
        const started = performance.now();
        await pool.query(text, params);
        return { ms: performance.now() - started };
      };
    const someCase = (await pool.query<{ case_id: string }>(`SELECT case_id FROM ${schemas.rehab_cases}.rehab_case_row LIMIT 1 OFFSET 12345`)).rows[0]?.case_id;

    await measure('baseline: SELECT 1 (pg)', sql('SELECT 1'));
    await measure('baseline: rehab_case_row by primary key (pg)', sql(`SELECT * FROM ${schemas.rehab_cases}.rehab_case_row WHERE case_id = $1`, [someCase]));
    await measure('baseline: GET /health/live (HTTP)', http('/health/live'));
    await measure('cases, commune scope, page 1', http('/api/v1/rehab-cases', commune));
    await measure('cases, commune scope, status IN_REHAB', http('/api/v1/rehab-cases?status=IN_REHAB', commune));
    await measure('cases, province scope, page 1', http('/api/v1/rehab-cases', province));
    await measure('cases, province scope, page 100', http('/api/v1/rehab-cases?page=100', province));
    await measure('cases, province scope, status IN_REHAB', http('/api/v1/rehab-cases?status=IN_REHAB', province));
    await measure('cases, province scope, one commune', http(`/api/v1/rehab-cases?communeCode=${otherCommune}`, province));
    await measure('persons, commune scope, page 1', http('/api/v1/persons', commune));
    await measure('persons, province scope, page 1', http('/api/v1/persons', province));
    await measure('persons, province scope, by ID number', http('/api/v1/persons?idNumber=001090012345', province));
    await measure('persons, province scope, by name', http(`/api/v1/persons?q=${encodeURIComponent('Nguyễn Văn An')}`, province));

    const plans: Record<string, string> = {};
    const explain = async (name: string, schema: string, text: string, params: unknown[]) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SELECT set_config('search_path', $1 || ', ' || current_setting('search_path'), true)`, [schema]);
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`, params);
        plans[name] = rows.map((r) => r['QUERY PLAN']).join('\n');
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
    };
    // The SQL the service runs (readScopedPage in the cases read model): the page in index order and
    // its total as a scalar subquery, the scope one-sided per principal (issue 17 §6).
    const pageSql = (table: string, where: string, orderBy: string, offset = 0) =>
      `SELECT *, (SELECT count(*) FROM ${table} WHERE ${where}) AS page_total FROM ${table} WHERE ${where}
       ORDER BY ${orderBy} LIMIT 20 OFFSET ${offset}`;
    const caseOrder = 'registered_on, case_id';
    await explain('cases, province scope, page 1', schemas.rehab_cases, pageSql('rehab_case_row', 'province_code = $1', caseOrder), ['22']);
    await explain('cases, province scope, page 100', schemas.rehab_cases, pageSql('rehab_case_row', 'province_code = $1', caseOrder, 1980), ['22']);
    await explain('cases, province scope, status IN_REHAB', schemas.rehab_cases, pageSql('rehab_case_row', 'province_code = $1 AND status = $2', caseOrder), [
      '22',
      'IN_REHAB',
    ]);
    await explain('cases, commune scope, page 1', schemas.rehab_cases, pageSql('rehab_case_row', 'commune_code = $1', caseOrder), [homeCommune]);
    await explain('persons, province scope, page 1', schemas.persons, pageSql('person_row', 'province_code = $1', 'registered_at, person_id'), ['22']);
    return { cases: options.cases, fillSeconds, figures, plans };
  } finally {
    await pool.end();
    await service.stop();
    await database.drop();
  }
}

/** The schema of each projection's active version. */
async function activeSchemas<K extends string>(pool: Pool, names: Readonly<Record<K, string>>): Promise<Record<K, string>> {
  // The service builds its projections in the background after it starts: wait for them.
  for (let tries = 0; ; tries++) {
    const { rows } = await pool.query<{ name: string; active_version: number }>('SELECT name, active_version FROM projection_versions');
    const schemas = {} as Record<K, string>;
    let missing: string | undefined;
    for (const [key, name] of Object.entries(names) as [K, string][]) {
      const row = rows.find((r) => r.name === name);
      if (row) schemas[key] = `proj_${name}_v${row.active_version}`;
      else missing = name;
    }
    if (missing === undefined) return schemas;
    if (tries >= 600) throw new Error(`projection ${missing} has no active version`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Section (k) of `npm run bench`: `--cases=N` (default 1,000,000; `--quick` 100,000). */
export async function runReadModelScaleSection(argv: readonly string[]): Promise<ReadModelScaleResult> {
  const quick = argv.includes('--quick');
  const cases = Number(argv.find((a) => a.startsWith('--cases='))?.split('=')[1] ?? (quick ? 100_000 : 1_000_000));
  console.log(`(k) read model at scale: ${cases.toLocaleString('en')} cases and persons, list and search through the cases HTTP API (goal p99 ≤ 50 ms)`);
  const result = await benchmarkReadModelScale({ cases, requests: quick ? 50 : 200 });
  const base = result.figures.find((f) => f.query.startsWith('baseline: GET /health/live'))?.p50Ms ?? Number.NaN;
  console.table(
    result.figures.map((f) => ({
      query: f.query,
      matching: f.matching || '',
      'p50 ms': f.p50Ms.toFixed(2),
      'p99 ms': f.p99Ms.toFixed(2),
      'p50 / health p50': (f.p50Ms / base).toFixed(1),
    })),
  );
  console.log(`filled in ${result.fillSeconds.toFixed(0)} s`);
  for (const [name, plan] of Object.entries(result.plans)) console.log(`EXPLAIN ${name}\n${plan}\n`);
  return result;
}

/** Case i belongs to person i, who lives in the (i mod n)-th commune of the country (real codes). */
async function fill(pool: Pool, schemas: Record<'rehab_cases' | 'persons', string>, cases: number): Promise<void> {
  const units = shippedJurisdiction
    .listProvinces()
    .flatMap((p) => shippedJurisdiction.listCommunes(p.code).map((c) => ({ province: p.code, commune: c.code })));
  await pool.query('CREATE TABLE bench_unit (n integer PRIMARY KEY, province text NOT NULL, commune text NOT NULL)');
  await pool.query('INSERT INTO bench_unit SELECT n - 1, p, c FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u (p, c, n)', [
    units.map((u) => u.province),
    units.map((u) => u.commune),
  ]);
  const from = `generate_series(1, $1) AS i JOIN bench_unit ON bench_unit.n = i % ${units.length}`;
  const place = 'bench_unit.province';
  const commune = 'bench_unit.commune';
  const statuses = `(ARRAY[${STATUSES.map((s) => `'${s}'`).join(', ')}])[1 + (i * 7) % ${STATUSES.length}]`;
  const forms = `(ARRAY[${FORMS.map((s) => `'${s}'`).join(', ')}])[1 + (i * 5) % ${FORMS.length}]`;
  const day = `date '2016-01-01' + (i * 37 % 3650)`;
  await pool.query(
    `INSERT INTO ${schemas.rehab_cases}.rehab_case_row (case_id, person_id, commune_code, province_code, status, form, regime, registered_on, started_on, version)
     SELECT md5('case' || i)::uuid, md5('person' || i)::uuid, ${commune}, ${place}, ${statuses}, ${forms}, NULL,
            to_char(${day}, 'YYYY-MM-DD'), to_char(${day} + 30, 'YYYY-MM-DD'), 3
       FROM ${from}`,
    [cases],
  );
  await pool.query(
    `INSERT INTO ${schemas.rehab_cases}.rehab_case_person (person_id, commune_code, province_code)
     SELECT md5('person' || i)::uuid, ${commune}, ${place} FROM ${from}`,
    [cases],
  );
  await pool.query(
    `INSERT INTO ${schemas.persons}.person_row (person_id, province_code, commune_code, version, erased, registered_at)
     SELECT md5('person' || i)::uuid, ${place}, ${commune}, 0, false, timestamptz '2016-01-01' + (i * 37 % 3650) * interval '1 day' + (i % 86400) * interval '1 second'
       FROM ${from}`,
    [cases],
  );
  // Keyed hashes as the service stores them (64 hex digits); these match no real name or number.
  await pool.query(
    `INSERT INTO person_search_keys (person_id, name_index, personal_id_index)
     SELECT md5('person' || i)::uuid, encode(sha256(('name' || (i % 200000))::bytea), 'hex'), encode(sha256(('id' || i)::bytea), 'hex')
       FROM generate_series(1, $1) AS i`,
    [cases],
  );
  // VACUUM as autovacuum would after so many inserts: it sets the visibility map, without which no
  // count can be an index-only scan (a read model in service has long been vacuumed).
  await pool.query(
    `VACUUM (ANALYZE) ${schemas.rehab_cases}.rehab_case_row, ${schemas.rehab_cases}.rehab_case_person, ${schemas.persons}.person_row, person_search_keys`,
  );
}
