import { defineAggregate, type AggregateStore } from '@haidang/service-kit';
import {
  COOPERATION_RECORD_AGGREGATE,
  COOPERATION_RECORD_EVENT_SCHEMA_VERSIONS,
  cooperationRecordDecider,
  cooperationRecordError,
  type CooperationRecordCommand,
  type CooperationRecordEvent,
  type CooperationRecordState,
} from './domain';

/**
 * Streams `CooperationRecord-<uuid>`. The names of handed-over persons are encrypted before they
 * reach the log. The kit keys one subject per aggregate, and a handover's persons are not persons
 * of `cases` (yet): the record is their key subject (`personOf: (id) => id`), so shredding the
 * record's key erases the names and nothing else; the seal never covers them, so it still verifies.
 */
export const cooperationRecord = defineAggregate({
  service: 'cross-border',
  name: COOPERATION_RECORD_AGGREGATE,
  decider: cooperationRecordDecider,
  schemaVersions: COOPERATION_RECORD_EVENT_SCHEMA_VERSIONS,
  personalFields: { CooperationRecordRegistered: ['persons'] },
  exists: (state) => state.status !== 'NONE',
  personOf: (id) => id,
  alreadyExists: cooperationRecordError('already-registered'),
});

export type CooperationRecordStore = AggregateStore<CooperationRecordCommand, CooperationRecordEvent, CooperationRecordState>;
/** Nest token of the cooperation record store (`pipeline.storeOf(cooperationRecord)`). */
export const COOPERATION_RECORD_STORE = Symbol('COOPERATION_RECORD_STORE');
