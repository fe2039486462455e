import { defineAggregate, type AggregateStore } from '@haidang/service-kit';
import {
  ESTABLISHMENT_AGGREGATE,
  ESTABLISHMENT_EVENT_SCHEMA_VERSIONS,
  establishmentDecider,
  establishmentError,
  type EstablishmentCommand,
  type EstablishmentEvent,
  type EstablishmentState,
} from './domain';

/** Streams `Establishment-<uuid>`: zones and schools, no person. */
export const establishment = defineAggregate({
  service: 'campaigns',
  name: ESTABLISHMENT_AGGREGATE,
  decider: establishmentDecider,
  schemaVersions: ESTABLISHMENT_EVENT_SCHEMA_VERSIONS,
  exists: (state) => state.status !== 'NONE',
  alreadyExists: establishmentError('already-registered'),
});

export type EstablishmentStore = AggregateStore<EstablishmentCommand, EstablishmentEvent, EstablishmentState>;
export const ESTABLISHMENT_STORE = Symbol('ESTABLISHMENT_STORE');
