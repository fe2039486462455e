export { type EmbeddedPostgres, type EmbeddedPostgresOptions, startEmbeddedPostgres } from './embedded-postgres';
export { resolveDatabaseUrl, type ResolvedDatabase } from './resolve-database-url';
