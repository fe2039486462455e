import { defineAggregate, type AggregateStore } from '@haidang/service-kit';
import {
  SUPPORT_MODEL_AGGREGATE,
  SUPPORT_MODEL_EVENT_SCHEMA_VERSIONS,
  supportModelDecider,
  supportModelError,
  type SupportModelCommand,
  type SupportModelEvent,
  type SupportModelState,
} from './domain';

/**
 * Streams `SupportModel-<uuid>`, the id derived from the model's agency code: one stream per code,
 * so a second founding under the same code is refused (409) and anyone who knows the code finds it.
 */
export const supportModel = defineAggregate({
  service: 'campaigns',
  name: SUPPORT_MODEL_AGGREGATE,
  decider: supportModelDecider,
  schemaVersions: SUPPORT_MODEL_EVENT_SCHEMA_VERSIONS,
  exists: (state) => state.status !== 'NONE',
  alreadyExists: supportModelError('already-founded'),
});

export type SupportModelStore = AggregateStore<SupportModelCommand, SupportModelEvent, SupportModelState>;
export const SUPPORT_MODEL_STORE = Symbol('SUPPORT_MODEL_STORE');
