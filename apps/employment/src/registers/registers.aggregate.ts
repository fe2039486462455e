import { defineAggregate, type AggregateStore } from '@haidang/service-kit';
import {
  EMPLOYER_AGGREGATE,
  employerDecider,
  registerError,
  TRAINING_PROVIDER_AGGREGATE,
  trainingProviderDecider,
  type EmployerRegistered,
  type EmployerState,
  type RegisterEmployer,
  type RegisterTrainingProvider,
  type TrainingProviderRegistered,
  type TrainingProviderState,
} from './domain';

/** Streams `TrainingProvider-<uuid>`: organisations, no personal field. */
export const trainingProvider = defineAggregate({
  service: 'employment',
  name: TRAINING_PROVIDER_AGGREGATE,
  decider: trainingProviderDecider,
  schemaVersions: { TrainingProviderRegistered: 1 },
  exists: (state) => state !== null,
  alreadyExists: registerError('already-registered'),
});

/** Streams `Employer-<uuid>`: organisations, no personal field. */
export const employer = defineAggregate({
  service: 'employment',
  name: EMPLOYER_AGGREGATE,
  decider: employerDecider,
  schemaVersions: { EmployerRegistered: 1 },
  exists: (state) => state !== null,
  alreadyExists: registerError('already-registered'),
});

export type TrainingProviderStore = AggregateStore<RegisterTrainingProvider, TrainingProviderRegistered, TrainingProviderState>;
export type EmployerStore = AggregateStore<RegisterEmployer, EmployerRegistered, EmployerState>;
