import { Client } from 'pg';
import { startSharedTestServers, stopSharedTestServers } from './test-servers';

jest.setTimeout(60_000);

async function selectOne(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('shared test servers (Jest global setup)', () => {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, NATS_URL: process.env.NATS_URL };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('starts servers for missing URLs once, however many projects set up, and restores the env', async () => {
    delete process.env.DATABASE_URL;
    delete process.env.NATS_URL;

    await startSharedTestServers();
    const databaseUrl = process.env.DATABASE_URL ?? '';
    expect(databaseUrl).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(process.env.NATS_URL).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);

    await startSharedTestServers(); // a second Jest project's global setup
    expect(process.env.DATABASE_URL).toBe(databaseUrl);
    await stopSharedTestServers();
    await selectOne(databaseUrl); // still needed by the other project

    await stopSharedTestServers();
    expect(process.env.DATABASE_URL).toBeUndefined();
    expect(process.env.NATS_URL).toBeUndefined();
    await expect(selectOne(databaseUrl)).rejects.toThrow();
  });

  it('leaves URLs that are already set alone', async () => {
    process.env.DATABASE_URL = 'postgres://someone@db.example:5432/postgres';
    process.env.NATS_URL = 'nats://nats.example:4222';
    await startSharedTestServers();
    expect(process.env.DATABASE_URL).toBe('postgres://someone@db.example:5432/postgres');
    expect(process.env.NATS_URL).toBe('nats://nats.example:4222');
    await stopSharedTestServers();
    expect(process.env.DATABASE_URL).toBe('postgres://someone@db.example:5432/postgres');
  });
});
