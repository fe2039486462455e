export * from './types';
export * from './errors';
export { jsonEvent } from './event-data';
export { UpcasterRegistry, type Upcaster } from './upcasters';
export { comparePositions, formatPosition, parsePosition } from './position';
export { canonicalJson } from './canonical-json';
export { runMigrations, type Migration } from './migrations/run-migrations';
export { eventStoreMigrations } from './migrations/event-store.migrations';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
