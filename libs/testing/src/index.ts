export { findNatsServer, findPostgresBinaries, MissingDependencyError, type PostgresBinaries } from './binaries';
export { freePort } from './free-port';
export { type NatsServerHandle, type NatsServerOptions, startNatsServer } from './nats-server';
export { type PostgresServerHandle, type PostgresServerOptions, startPostgresServer } from './postgres-server';
export { resolveTestNatsUrl, resolveTestPostgresUrl } from './servers';
export { createTestDatabase, type CreateTestDatabaseOptions, type MigrationLike, sweepStaleTestDatabases, type TestDatabase } from './test-database';
export { createTestJetStream, type CreateTestJetStreamOptions, type TestJetStream } from './test-jetstream';
export { startSharedTestServers, stopSharedTestServers } from './jest/test-servers';
export { waitFor, type WaitForOptions } from './wait-for';
