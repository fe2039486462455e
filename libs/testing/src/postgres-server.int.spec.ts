import { Client } from 'pg';
import { type PostgresServerHandle, startPostgresServer } from './postgres-server';

jest.setTimeout(120_000);

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('startPostgresServer', () => {
  let server: PostgresServerHandle;
  beforeAll(async () => {
    server = await startPostgresServer();
  });
  afterAll(async () => {
    await server.destroy();
  });

  it('survives stop/restart and a kill with its committed data, on the same URL', async () => {
    await query(server.url, 'CREATE TABLE t (n int); INSERT INTO t VALUES (1)');

    await server.stop();
    await expect(query(server.url, 'SELECT 1')).rejects.toThrow();
    await server.restart();
    await query(server.url, 'INSERT INTO t VALUES (2)');

    // A held connection sees the crash as an error, as an application would.
    const held = new Client({ connectionString: server.url });
    held.on('error', () => undefined);
    await held.connect();
    await server.kill();
    await expect(held.query('SELECT 1')).rejects.toThrow();
    await held.end().catch(() => undefined);

    await server.restart();
    expect(await query<{ n: number }>(server.url, 'SELECT n FROM t ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('runs with fsync off unless durable is asked for', async () => {
    expect(await query(server.url, 'SHOW fsync')).toEqual([{ fsync: 'off' }]);
    expect(await query(server.url, 'SHOW synchronous_commit')).toEqual([{ synchronous_commit: 'on' }]);
  });
});
