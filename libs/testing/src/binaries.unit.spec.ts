import { findNatsServer, findPostgresBinaries, MissingDependencyError } from './binaries';
import { startNatsServer } from './nats-server';
import { startPostgresServer } from './postgres-server';

describe('missing server binaries', () => {
  it('names what is missing and how to get PostgreSQL', async () => {
    expect(() => findPostgresBinaries({ binDir: '/nonexistent/pg/bin' })).toThrow(MissingDependencyError);
    const failure = startPostgresServer({ binDir: '/nonexistent/pg/bin' });
    await expect(failure).rejects.toThrow(MissingDependencyError);
    await expect(failure).rejects.toThrow(/initdb, postgres\) not found in \/nonexistent\/pg\/bin/);
    await expect(failure).rejects.toThrow(/set DATABASE_URL=postgres:\/\/.*install PostgreSQL 15 \(apt-get install postgresql-15/i);
  });

  it('names what is missing and how to get nats-server', async () => {
    expect(() => findNatsServer({ binary: '/nonexistent/nats-server' })).toThrow(MissingDependencyError);
    const failure = startNatsServer({ binary: '/nonexistent/nats-server' });
    await expect(failure).rejects.toThrow(/nats-server not found \(tried \/nonexistent\/nats-server\)/);
    await expect(failure).rejects.toThrow(/Set NATS_URL=nats:\/\/.*install nats-server \(apt-get install nats-server/);
  });
});
