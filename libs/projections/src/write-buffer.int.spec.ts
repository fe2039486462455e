import { Pool, type PoolClient } from 'pg';
import { WriteBuffer, type ColumnShape, type TableShape } from './write-buffer';

function shape(table: string, primary: string[], others: string[]): TableShape {
  const columns = new Map<string, ColumnShape>();
  for (const property of [...primary, ...others]) columns.set(property, { property, column: property, prepare: (v) => v });
  return { table, primary: primary.map((p) => columns.get(p) as ColumnShape), column: (p) => columns.get(p) };
}

const TYPES = new Map([
  ['province', 'text'],
  ['commune', 'text'],
  ['status', 'text'],
  ['open', 'integer'],
  ['closed', 'bigint'],
]);

/** Buffered writes against a real table whose columns are NOT NULL without defaults (as most read models are). */
describe('WriteBuffer on PostgreSQL', () => {
  let pool: Pool;
  let client: PoolClient;
  const loads = shape('wb_load', ['province', 'commune'], ['status', 'open', 'closed']);
  const flush = (buffer: WriteBuffer) =>
    buffer.flush(
      (sql, params) => client.query(sql, params),
      async () => TYPES,
    );
  const rows = async () => (await client.query('SELECT province, commune, status, open, closed::int AS closed FROM wb_load ORDER BY commune')).rows;

  beforeAll(() => {
    pool = new Pool({ connectionString: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres', max: 1 });
  });
  beforeEach(async () => {
    client = await pool.connect();
    await client.query('BEGIN');
    await client.query(
      'CREATE TEMP TABLE wb_load (province text NOT NULL, commune text NOT NULL, status text NOT NULL, open integer NOT NULL, closed bigint NOT NULL, PRIMARY KEY (province, commune)) ON COMMIT DROP',
    );
    await client.query(`INSERT INTO wb_load VALUES ('22', '06793', 'ACTIVE', 1, 0)`);
  });
  afterEach(async () => {
    await client.query('ROLLBACK');
    client.release();
  });
  afterAll(() => pool.end());

  it('applies an update followed by an increment of the same row, both, in order', async () => {
    const buffer = new WriteBuffer();
    buffer.update(loads, { province: '22', commune: '06793' }, { status: 'INACTIVE', open: 10 });
    buffer.increment(loads, { province: '22', commune: '06793' }, { open: 1, closed: 2n });
    await flush(buffer);
    expect(await rows()).toEqual([{ province: '22', commune: '06793', status: 'INACTIVE', open: 11, closed: 2 }]);
  });

  it('adds to an existing row without naming its other NOT NULL columns, and inserts an absent one with the deltas', async () => {
    const buffer = new WriteBuffer();
    buffer.increment(loads, { province: '22', commune: '06793' }, { open: 2 });
    buffer.increment(loads, { province: '22', commune: '06793' }, { open: 3 });
    await flush(buffer);
    expect(await rows()).toEqual([{ province: '22', commune: '06793', status: 'ACTIVE', open: 6, closed: 0 }]);
    // A table whose other columns have defaults or allow NULL takes an absent row from an increment.
    await client.query(`ALTER TABLE wb_load ALTER status SET DEFAULT 'NEW', ALTER closed SET DEFAULT 0`);
    const more = new WriteBuffer();
    more.increment(loads, { province: '22', commune: '06794' }, { open: 1 });
    more.update(loads, { province: '22', commune: '06794' }, { status: 'ACTIVE' });
    await flush(more);
    expect((await rows())[1]).toEqual({ province: '22', commune: '06794', status: 'ACTIVE', open: 1, closed: 0 });
  });
});
