import { defineAggregate, type AggregateStore } from '@haidang/service-kit';
import {
  REHAB_CASE_AGGREGATE,
  REHAB_CASE_EVENT_SCHEMA_VERSIONS,
  rehabCaseDecider,
  type RehabCaseCommand,
  type RehabCaseEvent,
  type RehabCaseState,
} from './domain';

/**
 * Streams `RehabCase-<uuid>`. Free text that may hold health data (progress notes) is encrypted
 * with the person's key, so erasing the person shreds it too.
 */
export const rehabCase = defineAggregate({
  service: 'cases',
  name: REHAB_CASE_AGGREGATE,
  decider: rehabCaseDecider,
  schemaVersions: REHAB_CASE_EVENT_SCHEMA_VERSIONS,
  personalFields: { ProgressNoted: ['note'] },
  exists: (state) => state.status !== 'NONE' && state.personId !== null,
  personOf: (_id, state) => state.personId,
});

export const rehabCaseStream = (caseId: string): string => rehabCase.streamOf(caseId);

export type RehabCaseStore = AggregateStore<RehabCaseCommand, RehabCaseEvent, RehabCaseState>;
/** Nest token of the rehab-case store (`pipeline.storeOf(rehabCase)`). */
export const REHAB_CASE_STORE = Symbol('REHAB_CASE_STORE');
