import { defineAggregate, deterministicUuid, type AggregateStore } from '@haidang/service-kit';
import {
  HANDED_OVER_PERSON_AGGREGATE,
  HANDED_OVER_PERSON_EVENT_SCHEMA_VERSIONS,
  handedOverPersonDecider,
  handedOverPersonError,
  type HandedOverPersonCommand,
  type HandedOverPersonEvent,
  type HandedOverPersonState,
} from './domain';

/** The personal fields of `HandedOverPersonRecorded`, encrypted with the person's own key (crypto-shredding erases them). */
export const HANDED_OVER_PERSON_PERSONAL_FIELDS = ['fullName', 'birthYear', 'support'] as const;

/**
 * Streams `HandedOverPerson-<uuid>`; the person is their own key's subject (`personOf: id`), as a
 * person of `cases` is: erasing one victim's key leaves the other persons of the same handover readable.
 */
export const handedOverPerson = defineAggregate({
  service: 'cross-border',
  name: HANDED_OVER_PERSON_AGGREGATE,
  decider: handedOverPersonDecider,
  schemaVersions: HANDED_OVER_PERSON_EVENT_SCHEMA_VERSIONS,
  personalFields: { HandedOverPersonRecorded: HANDED_OVER_PERSON_PERSONAL_FIELDS },
  exists: (state) => state.recorded !== null,
  personOf: (id) => id,
  alreadyExists: handedOverPersonError('already-recorded'),
});

export type HandedOverPersonStore = AggregateStore<HandedOverPersonCommand, HandedOverPersonEvent, HandedOverPersonState>;
/** Nest token of the handed-over person store (`pipeline.storeOf(handedOverPerson)`). */
export const HANDED_OVER_PERSON_STORE = Symbol('HANDED_OVER_PERSON_STORE');

/** The id of the `index`-th person named in a record: the same on every retry of the registration. */
export const handedOverPersonIdFor = (recordId: string, index: number): string => deterministicUuid(handedOverPerson.idNamespace, recordId, String(index));
