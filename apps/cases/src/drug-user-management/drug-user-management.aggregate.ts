import { defineAggregate, type AggregateStore } from '@haidang/service-kit';
import {
  DRUG_USER_MANAGEMENT_AGGREGATE,
  DRUG_USER_MANAGEMENT_EVENT_SCHEMA_VERSIONS,
  drugUserManagementDecider,
  drugUserManagementError,
  type DrugUserManagementCommand,
  type DrugUserManagementEvent,
  type DrugUserManagementState,
} from './domain';

/**
 * Streams `DrugUserManagement-<uuid>`: a measure of its own (Law 73/2021 Art. 23–26), not a step
 * of a rehab case — it has its own decision, term and end, and a person can be under it without
 * ever having had a rehab case (a positive test found by the commune police). It holds ids, dates
 * and codes only, no free text, so it has no personal fields.
 */
export const drugUserManagement = defineAggregate({
  service: 'cases',
  name: DRUG_USER_MANAGEMENT_AGGREGATE,
  decider: drugUserManagementDecider,
  schemaVersions: DRUG_USER_MANAGEMENT_EVENT_SCHEMA_VERSIONS,
  exists: (state) => state.status !== 'NONE',
  personOf: (_id, state) => state.personId,
  alreadyExists: drugUserManagementError('already-decided'),
});

export type DrugUserManagementStore = AggregateStore<DrugUserManagementCommand, DrugUserManagementEvent, DrugUserManagementState>;
export const DRUG_USER_MANAGEMENT_STORE = Symbol('DRUG_USER_MANAGEMENT_STORE');
