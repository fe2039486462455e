import { defineAggregate, type AggregateStore } from '@haidang/service-kit';
import { PERSON_AGGREGATE, PERSON_EVENT_SCHEMA_VERSIONS, personDecider, type PersonCommand, type PersonEvent, type PersonState } from './domain';

/** The fields of `PersonRegistered` encrypted with the person's own key (crypto-shredding erases them). */
export const REGISTERED_PERSONAL_FIELDS = ['fullName', 'personalId', 'dateOfBirth', 'address', 'phone'] as const;
export type RegisteredPersonalField = (typeof REGISTERED_PERSONAL_FIELDS)[number];

/** Streams `Person-<uuid>` (DESIGN.md public surface); the person is their own key's subject. */
export const person = defineAggregate({
  service: 'cases',
  name: PERSON_AGGREGATE,
  decider: personDecider,
  schemaVersions: PERSON_EVENT_SCHEMA_VERSIONS,
  personalFields: { PersonRegistered: REGISTERED_PERSONAL_FIELDS },
  exists: (state) => state.status !== 'absent',
  personOf: (id) => id,
});

export type PersonStore = AggregateStore<PersonCommand, PersonEvent, PersonState>;
/** Nest token of the person store (`pipeline.storeOf(person)`). */
export const PERSON_STORE = Symbol('PERSON_STORE');
