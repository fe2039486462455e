export * from './types';
export * from './errors';
export { jsonEvent, MAX_EVENT_BYTES } from './event-data';
export { UpcasterRegistry, type Upcaster } from './upcasters';
export { comparePositions, formatPosition, parsePosition } from './position';
export { untilReadable } from './until-readable';
export { canonicalJson } from './canonical-json';
export { applyMigrations, runMigrations, type Migration } from '@haidang/sql-migrations';
export { eventStoreMigrations } from './migrations/event-store.migrations';
export { APPENDED_CHANNEL, PostgresEventStore, type PostgresEventStoreOptions, type Queryable } from './postgres/postgres-event-store';
export { registerEventStoreMetrics } from './postgres/event-store-metrics';
export {
  CHAIN_COLUMNS,
  chainHashOf,
  expectedHashOf,
  GENESIS_HASH,
  StreamChain,
  StreamIntegrityError,
  streamCategoryOf,
  type ChainBreakReason,
  type ChainFinding,
  type StoredChainRow,
} from './chain';
