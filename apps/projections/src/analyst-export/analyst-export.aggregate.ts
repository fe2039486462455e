import { defineAggregate, type AggregateStore } from '@haidang/service-kit';
import {
  ANALYST_EXPORT_AGGREGATE,
  ANALYST_EXPORT_EVENT_SCHEMA_VERSIONS,
  analystExportDecider,
  analystExportError,
  type AnalystExportCommand,
  type AnalystExportEvent,
  type AnalystExportState,
} from './domain';

/**
 * Streams `AnalystExport-<uuid>`. The free-text note may hold personal data, so it is encrypted before it
 * reaches the log. This service has no person aggregate: the record is its own key subject
 * (`personOf: (id) => id`), so shredding the record's key erases its note and nothing else. A service
 * that does hold persons takes a `personId` in the register body and returns it here instead.
 */
export const analystExport = defineAggregate({
  service: 'projections',
  name: ANALYST_EXPORT_AGGREGATE,
  decider: analystExportDecider,
  schemaVersions: ANALYST_EXPORT_EVENT_SCHEMA_VERSIONS,
  personalFields: { AnalystExportRegistered: ['note'] },
  exists: (state) => state.status !== 'NONE',
  personOf: (id) => id,
  alreadyExists: analystExportError('already-registered'),
});

export type AnalystExportStore = AggregateStore<AnalystExportCommand, AnalystExportEvent, AnalystExportState>;
/** Nest token of the analyst export store (`pipeline.storeOf(analystExport)`). */
export const ANALYST_EXPORT_STORE = Symbol('ANALYST_EXPORT_STORE');
