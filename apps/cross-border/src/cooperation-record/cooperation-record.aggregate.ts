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
 * Streams `CooperationRecord-<uuid>`. The free-text note may hold personal data, so it is encrypted before it
 * reaches the log. This service has no person aggregate: the record is its own key subject
 * (`personOf: (id) => id`), so shredding the record's key erases its note and nothing else. A service
 * that does hold persons takes a `personId` in the register body and returns it here instead.
 */
export const cooperationRecord = defineAggregate({
  service: 'cross-border',
  name: COOPERATION_RECORD_AGGREGATE,
  decider: cooperationRecordDecider,
  schemaVersions: COOPERATION_RECORD_EVENT_SCHEMA_VERSIONS,
  personalFields: { CooperationRecordRegistered: ['note'] },
  exists: (state) => state.status !== 'NONE',
  personOf: (id) => id,
  alreadyExists: cooperationRecordError('already-registered'),
});

export type CooperationRecordStore = AggregateStore<CooperationRecordCommand, CooperationRecordEvent, CooperationRecordState>;
/** Nest token of the cooperation record store (`pipeline.storeOf(cooperationRecord)`). */
export const COOPERATION_RECORD_STORE = Symbol('COOPERATION_RECORD_STORE');
