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
 * Streams `CooperationRecord-<uuid>`. A record holds no personal data: the persons a handover names
 * are `HandedOverPerson` streams of their own (each with their own key), the record only their ids,
 * so shredding one person's key erases that person and leaves the record and its seal whole.
 */
export const cooperationRecord = defineAggregate({
  service: 'cross-border',
  name: COOPERATION_RECORD_AGGREGATE,
  decider: cooperationRecordDecider,
  schemaVersions: COOPERATION_RECORD_EVENT_SCHEMA_VERSIONS,
  exists: (state) => state.status !== 'NONE',
  alreadyExists: cooperationRecordError('already-registered'),
});

export type CooperationRecordStore = AggregateStore<CooperationRecordCommand, CooperationRecordEvent, CooperationRecordState>;
/** Nest token of the cooperation record store (`pipeline.storeOf(cooperationRecord)`). */
export const COOPERATION_RECORD_STORE = Symbol('COOPERATION_RECORD_STORE');
