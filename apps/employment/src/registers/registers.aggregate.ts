import { defineAggregate, type AggregateStore } from '@haidang/service-kit';
import {
  EMPLOYER_AGGREGATE,
  employerDecider,
  registerError,
  TRAINING_PROVIDER_AGGREGATE,
  trainingProviderDecider,
  type EmployerCommand,
  type EmployerEvent,
  type EmployerState,
  type TrainingProviderCommand,
  type TrainingProviderEvent,
  type TrainingProviderState,
} from './domain';

/** Streams `TrainingProvider-<uuid>`: organisations, no personal field. */
export const trainingProvider = defineAggregate({
  service: 'employment',
  name: TRAINING_PROVIDER_AGGREGATE,
  decider: trainingProviderDecider,
  schemaVersions: { TrainingProviderRegistered: 1, TrainingProviderChanged: 1, TrainingProviderClosed: 1 },
  exists: (state) => state !== null,
  alreadyExists: registerError('already-registered'),
});

/** Streams `Employer-<uuid>`: organisations, no personal field. */
export const employer = defineAggregate({
  service: 'employment',
  name: EMPLOYER_AGGREGATE,
  decider: employerDecider,
  schemaVersions: { EmployerRegistered: 1, EmployerChanged: 1, EmployerClosed: 1 },
  exists: (state) => state !== null,
  alreadyExists: registerError('already-registered'),
});

export type TrainingProviderStore = AggregateStore<TrainingProviderCommand, TrainingProviderEvent, TrainingProviderState>;
export type EmployerStore = AggregateStore<EmployerCommand, EmployerEvent, EmployerState>;
