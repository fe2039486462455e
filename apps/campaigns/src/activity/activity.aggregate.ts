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

/** Streams `Activity-<uuid>`. Codes, dates and counts only: no personal field. */
export const activity = defineAggregate({
  service: 'campaigns',
  name: ACTIVITY_AGGREGATE,
  decider: activityDecider,
  schemaVersions: ACTIVITY_EVENT_SCHEMA_VERSIONS,
  exists: (state) => state.status !== 'NONE',
  alreadyExists: activityError('already-recorded'),
});

export type ActivityStore = AggregateStore<ActivityCommand, ActivityEvent, ActivityState>;
export const ACTIVITY_STORE = Symbol('ACTIVITY_STORE');
