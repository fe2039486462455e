import { defineAggregate, type AggregateStore } from '@haidang/service-kit';
import { PLAN_AGGREGATE, PLAN_EVENT_SCHEMA_VERSIONS, planDecider, planError, type PlanCommand, type PlanEvent, type PlanState } from './domain';

/** Streams `Plan-<uuid>`. A plan is a public document: no personal field. */
export const plan = defineAggregate({
  service: 'campaigns',
  name: PLAN_AGGREGATE,
  decider: planDecider,
  schemaVersions: PLAN_EVENT_SCHEMA_VERSIONS,
  exists: (state) => state.status !== 'NONE',
  alreadyExists: planError('already-adopted'),
});

export type PlanStore = AggregateStore<PlanCommand, PlanEvent, PlanState>;
export const PLAN_STORE = Symbol('PLAN_STORE');
