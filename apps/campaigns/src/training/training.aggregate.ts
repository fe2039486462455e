import { defineAggregate, type AggregateStore } from '@haidang/service-kit';
import {
  TRAINING_AGGREGATE,
  TRAINING_EVENT_SCHEMA_VERSIONS,
  trainingDecider,
  trainingError,
  type TrainingCommand,
  type TrainingEvent,
  type TrainingState,
} from './domain';

/** Streams `Training-<uuid>`: counts only. */
export const training = defineAggregate({
  service: 'campaigns',
  name: TRAINING_AGGREGATE,
  decider: trainingDecider,
  schemaVersions: TRAINING_EVENT_SCHEMA_VERSIONS,
  exists: (state) => state.status !== 'NONE',
  alreadyExists: trainingError('already-recorded'),
});

export type TrainingStore = AggregateStore<TrainingCommand, TrainingEvent, TrainingState>;
export const TRAINING_STORE = Symbol('TRAINING_STORE');
