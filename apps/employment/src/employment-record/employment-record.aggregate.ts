import { defineAggregate, type AggregateStore } from '@haidang/service-kit';
import {
  EMPLOYMENT_RECORD_AGGREGATE,
  EMPLOYMENT_RECORD_EVENT_SCHEMA_VERSIONS,
  employmentRecordDecider,
  employmentRecordError,
  type EmploymentRecordCommand,
  type EmploymentRecordEvent,
  type EmploymentRecordState,
} from './domain';

/**
 * Streams `EmploymentRecord-<uuid>`. The free-text note may hold personal data, so it is encrypted before it
 * reaches the log. This service has no person aggregate: the record is its own key subject
 * (`personOf: (id) => id`), so shredding the record's key erases its note and nothing else. A service
 * that does hold persons takes a `personId` in the register body and returns it here instead.
 */
export const employmentRecord = defineAggregate({
  service: 'employment',
  name: EMPLOYMENT_RECORD_AGGREGATE,
  decider: employmentRecordDecider,
  schemaVersions: EMPLOYMENT_RECORD_EVENT_SCHEMA_VERSIONS,
  personalFields: { EmploymentRecordRegistered: ['note'] },
  exists: (state) => state.status !== 'NONE',
  personOf: (id) => id,
  alreadyExists: employmentRecordError('already-registered'),
});

export type EmploymentRecordStore = AggregateStore<EmploymentRecordCommand, EmploymentRecordEvent, EmploymentRecordState>;
/** Nest token of the employment record store (`pipeline.storeOf(employmentRecord)`). */
export const EMPLOYMENT_RECORD_STORE = Symbol('EMPLOYMENT_RECORD_STORE');
