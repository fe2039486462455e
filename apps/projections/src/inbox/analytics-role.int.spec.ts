/**
 * SQL access for analysts: the role `haidang_analyst` the migrations create reads the views of
 * schema `analytics` and is refused on every other table of the database (SET ROLE in a throwaway
 * database), and the commune view hides small counts.
 */
import type { PoolClient } from 'pg';
import { createTestDatabase, type TestDatabase } from '@haidang/testing';
import { projectionsMigrations } from '../projections-service';
import { InsightsStore } from './insights-store';
import { rehabStarted } from '../projections.test-fixtures';

jest.setTimeout(60_000);

describe('the analysts’ SQL role', () => {
  let database: TestDatabase;
  let client: PoolClient;

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: projectionsMigrations });
    const store = new InsightsStore(database.pool);
    const at = new Date().toISOString();
    const events = [
      ...Array.from({ length: 7 }, () => rehabStarted(at, '06793', 'VOLUNTARY_FACILITY')),
      ...Array.from({ length: 2 }, () => rehabStarted(at, '06652', 'VOLUNTARY_FACILITY')),
      ...Array.from({ length: 9 }, () => rehabStarted(at, '06658', 'VOLUNTARY_FACILITY')),
    ];
    for (const event of events) await store.receive({ source: 'cases', messageId: event.eventId, type: event.type, occurredAt: at, data: event }, new Date(at));
    client = await database.pool.connect();
  });
  afterAll(async () => {
    client?.release();
    await database?.drop();
  });

  /** Runs `sql` as the analyst role inside a transaction rolled back afterwards; the SQLSTATE of its error, or 'ok'. */
  async function asAnalyst(sql: string): Promise<{ outcome: string; rows: Array<Record<string, unknown>> }> {
    await client.query('BEGIN');
    try {
      await client.query('SET LOCAL ROLE haidang_analyst');
      const { rows } = await client.query(sql);
      return { outcome: 'ok', rows };
    } catch (error) {
      return { outcome: (error as { code?: string }).code ?? 'error', rows: [] };
    } finally {
      await client.query('ROLLBACK');
    }
  }

  it('reads every analytics view', async () => {
    for (const view of ['activity_facts', 'person_counts_by_province_month', 'person_counts_by_commune_month', 'plan_targets']) {
      expect({ view, outcome: (await asAnalyst(`SELECT * FROM analytics.${view} LIMIT 1`)).outcome }).toEqual({ view, outcome: 'ok' });
    }
  });

  it('is refused on every table and view outside schema analytics', async () => {
    const { rows } = await database.pool.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
       UNION ALL SELECT format('%I.%I', schemaname, viewname) FROM pg_views WHERE schemaname NOT IN ('pg_catalog', 'information_schema', 'analytics')`,
    );
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['insights.fact', 'insights.inbox', 'public.es_events']));
    const outcomes = [];
    for (const { name } of rows) outcomes.push({ name, outcome: (await asAnalyst(`SELECT 1 FROM ${name} LIMIT 1`)).outcome });
    // 42501 insufficient_privilege on every one.
    expect(outcomes.filter((o) => o.outcome !== '42501')).toEqual([]);
    expect((await asAnalyst(`CREATE TABLE analytics.mine (id int)`)).outcome).toBe('42501');
    expect((await asAnalyst(`DELETE FROM analytics.activity_facts`)).outcome).toBe('42501');
  });

  it('sees small commune counts hidden, with a second one hidden beside a lone small one', async () => {
    const { rows } = await asAnalyst(
      `SELECT commune_code, count, suppressed FROM analytics.person_counts_by_commune_month WHERE kind = 'REHAB_ADMISSION' ORDER BY commune_code`,
    );
    expect(rows).toEqual([
      { commune_code: '06652', count: null, suppressed: true },
      { commune_code: '06658', count: '9', suppressed: false },
      { commune_code: '06793', count: null, suppressed: true },
    ]);
  });
});
