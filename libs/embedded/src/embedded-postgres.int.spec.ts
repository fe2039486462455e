import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

jest.setTimeout(120_000);

describe('startEmbeddedPostgres', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'haidang-embedded-spec-'));
  const cacheDir = join(scratch, 'cache');
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  describe('serving pg clients', () => {
    let server: EmbeddedPostgres;
    let pool: Pool;
    beforeAll(async () => {
      server = await startEmbeddedPostgres({ templateCacheDir: cacheDir, maxConnections: 4 });
      pool = new Pool({ connectionString: server.url, max: 2 });
    });
    afterAll(async () => {
      await pool.end();
      await server.stop();
    });

    it('serves two concurrent connections of one pg Pool', async () => {
      const results = await Promise.all([
        pool.query<{ n: number }>('SELECT 1 AS n, pg_sleep(0.05)'),
        pool.query<{ n: number }>('SELECT 2 AS n, pg_sleep(0.05)'),
      ]);
      expect(results.map((r) => r.rows[0]?.n)).toEqual([1, 2]);
      expect(pool.totalCount).toBe(2);
      expect(server.url).toBe(`postgres://postgres:postgres@127.0.0.1:${server.port}/postgres`);
    });

    it('supports what the event store reads the log with: xid8, snapshots, SKIP LOCKED', async () => {
      await pool.query(`
        CREATE TABLE outbox (
          position bigserial PRIMARY KEY,
          tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
          body text NOT NULL
        )`);
      await pool.query(`INSERT INTO outbox (body) VALUES ('a'), ('b')`);

      const { rows: ids } = await pool.query<{ xid: string; xmin: string }>(
        'SELECT pg_current_xact_id()::text AS xid, pg_snapshot_xmin(pg_current_snapshot())::text AS xmin',
      );
      expect(Number(ids[0]?.xid)).toBeGreaterThan(0);
      expect(Number(ids[0]?.xmin)).toBeGreaterThan(0);

      const { rows: visible } = await pool.query<{ body: string }>(
        'SELECT body FROM outbox WHERE tx < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY position',
      );
      expect(visible.map((r) => r.body)).toEqual(['a', 'b']);

      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows: claimed } = await client.query<{ body: string }>('SELECT body FROM outbox ORDER BY position LIMIT 1 FOR UPDATE SKIP LOCKED');
        expect(claimed.map((r) => r.body)).toEqual(['a']);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    });

    it('holds other connections while one is inside a transaction (one backend session)', async () => {
      const a = await pool.connect();
      const b = await pool.connect();
      try {
        await a.query('BEGIN');
        await a.query(`INSERT INTO outbox (body) VALUES ('in flight')`);
        let bDone = false;
        const bQuery = b.query('SELECT 1').then(() => {
          bDone = true;
        });
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(bDone).toBe(false); // on a real server this would have answered at once
        await a.query('COMMIT');
        await bQuery;
        expect(bDone).toBe(true);
      } finally {
        a.release();
        b.release();
      }
    });
  });

  it('starts a new cluster from the cached template, and reopens an existing data dir', async () => {
    // Parents that do not exist yet, as on a fresh clone (no .haidang/).
    const dataDir = join(scratch, 'not', 'yet', 'there', 'data');
    // The template exists: the block above made it on its first start.
    const first = await startEmbeddedPostgres({ dataDir, templateCacheDir: cacheDir });
    expect(first.startedFrom).toBe('template');
    const client = new Client({ connectionString: first.url });
    await client.connect();
    await client.query(`CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives stop')`);
    await client.end();
    await first.stop();

    const again = await startEmbeddedPostgres({ dataDir, templateCacheDir: cacheDir });
    expect(again.startedFrom).toBe('existing');
    const reader = new Client({ connectionString: again.url });
    await reader.connect();
    expect((await reader.query('SELECT v FROM kept')).rows).toEqual([{ v: 'survives stop' }]);
    await reader.end();
    await again.stop();
  });

  it('runs initdb when there is no template, and when told not to use one', async () => {
    const noCache = await startEmbeddedPostgres({ templateCacheDir: false });
    expect(noCache.startedFrom).toBe('initdb');
    await noCache.stop();
  });
});
