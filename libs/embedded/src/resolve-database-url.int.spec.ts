import { Client } from 'pg';
import { resolveDatabaseUrl } from './resolve-database-url';

jest.setTimeout(120_000);

describe('resolveDatabaseUrl', () => {
  it('returns DATABASE_URL as is and starts nothing', async () => {
    const resolved = await resolveDatabaseUrl({ DATABASE_URL: 'postgres://app@db.example:5432/haidang' });
    expect(resolved.url).toBe('postgres://app@db.example:5432/haidang');
    expect(resolved.embedded).toBeUndefined();
    await resolved.stop();
  });

  it('starts the embedded server when DATABASE_URL is unset or empty', async () => {
    const resolved = await resolveDatabaseUrl({ DATABASE_URL: '' });
    try {
      expect(resolved.embedded).toBeDefined();
      const client = new Client({ connectionString: resolved.url });
      await client.connect();
      const { rows } = await client.query<{ v: string }>('SELECT version() AS v');
      expect(rows[0]?.v).toMatch(/PGlite/);
      await client.end();
    } finally {
      await resolved.stop();
    }
  });
});
