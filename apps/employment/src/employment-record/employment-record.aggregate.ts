import { defineAggregate, type AggregateStore } from '@haidang/service-kit';
import {
  EMPLOYMENT_RECORD_AGGREGATE,
  EMPLOYMENT_RECORD_EVENT_SCHEMA_VERSIONS,
  EMPLOYMENT_RECORD_PERSONAL_FIELDS,
  employmentRecordDecider,
  employmentRecordError,
  type EmploymentRecordCommand,
  type EmploymentRecordEvent,
  type EmploymentRecordState,
} from './domain';

/**
 * Streams `EmploymentRecord-<uuid>`. The free text about the person (skills, preferences, notes, the
 * certificate number) is encrypted with the key of the person the record names (a person of the
 * cases service, keyed in this service's own key table): erasing the person shreds it here too.
 */
export const employmentRecord = defineAggregate({
  service: 'employment',
  name: EMPLOYMENT_RECORD_AGGREGATE,
  decider: employmentRecordDecider,
  schemaVersions: EMPLOYMENT_RECORD_EVENT_SCHEMA_VERSIONS,
  personalFields: EMPLOYMENT_RECORD_PERSONAL_FIELDS,
  exists: (state) => state.status !== 'NONE',
  personOf: (_id, state) => state.personId,
  alreadyExists: employmentRecordError('already-open'),
});

export type EmploymentRecordStore = AggregateStore<EmploymentRecordCommand, EmploymentRecordEvent, EmploymentRecordState>;
/** Nest token of the employment record store (`pipeline.storeOf(employmentRecord)`). */
export const EMPLOYMENT_RECORD_STORE = Symbol('EMPLOYMENT_RECORD_STORE');
