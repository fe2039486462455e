import { defineAggregate, type AggregateStore } from '@haidang/service-kit';
import {
  ACTIVITY_AGGREGATE,
  ACTIVITY_EVENT_SCHEMA_VERSIONS,
  activityDecider,
  activityError,
  type ActivityCommand,
  type ActivityEvent,
  type ActivityState,
} from './domain';

/**
 * Streams `Activity-<uuid>`. The free-text note may hold personal data, so it is encrypted before it
 * reaches the log. This service has no person aggregate: the record is its own key subject
 * (`personOf: (id) => id`), so shredding the record's key erases its note and nothing else. A service
 * that does hold persons takes a `personId` in the register body and returns it here instead.
 */
export const activity = defineAggregate({
  service: 'campaigns',
  name: ACTIVITY_AGGREGATE,
  decider: activityDecider,
  schemaVersions: ACTIVITY_EVENT_SCHEMA_VERSIONS,
  personalFields: { ActivityRegistered: ['note'] },
  exists: (state) => state.status !== 'NONE',
  personOf: (id) => id,
  alreadyExists: activityError('already-registered'),
});

export type ActivityStore = AggregateStore<ActivityCommand, ActivityEvent, ActivityState>;
/** Nest token of the activity store (`pipeline.storeOf(activity)`). */
export const ACTIVITY_STORE = Symbol('ACTIVITY_STORE');
