import { domainErrors, type Decider, type DomainError } from '@haidang/decider';

/**
 * The Person aggregate as a decider: plain data in, plain data out. Personal fields are encrypted
 * with the person's key when the events are appended (the aggregate's `personalFields`), and stay
 * encrypted in the state folded from the log.
 */

/** The aggregate's name: streams are `Person-<uuid>` (DESIGN.md public surface). */
export const PERSON_AGGREGATE = 'Person';

/** Residence as stored: the address is personal data (encrypted); the unit codes are not, they scope access. */
export type Residence = {
  readonly provinceCode: string;
  readonly communeCode: string;
};

/** `PersonRegistered` v1. In the log, `fullName`, `personalId`, `dateOfBirth`, `address`, `phone` are `pii:v1:` ciphertexts. */
export type PersonRegisteredV1 = {
  readonly personId: string;
  readonly fullName: string;
  readonly personalId?: string;
  readonly dateOfBirth: string;
  readonly sex: 'MALE' | 'FEMALE';
  readonly address: string;
  readonly phone?: string;
  readonly residence: Residence;
  /**
   * Legacy, read only: events written before issue 10 §5 carry the keyed hashes of the personal ID
   * and of the normalized name. An immutable event outlives erasure, so new events leave them out;
   * the hashes live in the erasable table person_search_keys, and the persons projection moves the
   * legacy ones there (and deletes them on PersonErased).
   */
  readonly personalIdIndex?: string;
  /** Legacy, read only (see personalIdIndex). */
  readonly nameIndex?: string;
};

/** `PersonErased` v1: a marker after the person's key was shredded; it carries no personal data. */
export type PersonErasedV1 = {
  readonly personId: string;
  readonly reason: string;
};

/**
 * `PersonMarkedDuplicateOf` v1: a data-protection officer found, on a duplicate review, that this
 * person (registered later) is the same as `duplicateOf`. Ids only; the review's note stays in the
 * erasable review table. Nothing is shown to the agency that registered the person.
 */
export type PersonMarkedDuplicateOfV1 = {
  readonly personId: string;
  readonly duplicateOf: string;
  readonly reviewId: string;
};

export type PersonEvent =
  | { readonly type: 'PersonRegistered'; readonly data: PersonRegisteredV1 }
  | { readonly type: 'PersonErased'; readonly data: PersonErasedV1 }
  | { readonly type: 'PersonMarkedDuplicateOf'; readonly data: PersonMarkedDuplicateOfV1 };

export type PersonState =
  | { readonly status: 'absent' }
  | { readonly status: 'registered'; readonly registered: PersonRegisteredV1; readonly duplicateOf?: string }
  | { readonly status: 'erased'; readonly registered: PersonRegisteredV1; readonly duplicateOf?: string };

export type PersonCommand =
  | { readonly type: 'RegisterPerson'; readonly data: PersonRegisteredV1 }
  | { readonly type: 'RecordErasure'; readonly data: PersonErasedV1 }
  | { readonly type: 'MarkDuplicateOf'; readonly data: PersonMarkedDuplicateOfV1 };

/**
 * Named errors; the service's HTTP error table gives each its status (409 for both). The codes are
 * the public problem codes; the messages are the officer's plain words.
 */
export const PERSON_ERROR_MESSAGES = {
  'already-registered': 'This person is already registered.',
  'already-erased': 'This person’s personal data has already been erased.',
  'already-duplicate-of-another': 'This person is already recorded as the same as another person.',
  'not-a-duplicate-of-itself': 'A person cannot be a duplicate of themselves.',
} as const;
export type PersonErrorCode = keyof typeof PERSON_ERROR_MESSAGES;
export type PersonError = DomainError<PersonErrorCode>;
export const personError = domainErrors<PersonErrorCode>(PERSON_ERROR_MESSAGES);

export const PERSON_EVENT_SCHEMA_VERSIONS: Readonly<Record<PersonEvent['type'], number>> = { PersonRegistered: 1, PersonErased: 1, PersonMarkedDuplicateOf: 1 };

export function initialPersonState(): PersonState {
  return { status: 'absent' };
}

export function evolvePerson(state: PersonState, event: PersonEvent): PersonState {
  switch (event.type) {
    case 'PersonRegistered':
      return { status: 'registered', registered: event.data };
    case 'PersonErased':
      return state.status === 'absent' ? state : { ...state, status: 'erased' };
    case 'PersonMarkedDuplicateOf':
      return state.status === 'absent' ? state : { ...state, duplicateOf: event.data.duplicateOf };
  }
}

/** `_now`: the shape every decider has; no rule of a person depends on the date yet. */
export function decidePerson(command: PersonCommand, state: PersonState, _now: Date): readonly PersonEvent[] | PersonError {
  switch (command.type) {
    case 'RegisterPerson':
      if (state.status !== 'absent') return personError('already-registered');
      return [{ type: 'PersonRegistered', data: command.data }];
    case 'RecordErasure':
      // A person that does not exist is the pipeline's "not found" before the decider is asked.
      if (state.status === 'erased') return personError('already-erased');
      if (state.status === 'absent') return [];
      return [{ type: 'PersonErased', data: command.data }];
    case 'MarkDuplicateOf':
      if (state.status === 'absent') return [];
      if (command.data.duplicateOf === command.data.personId) return personError('not-a-duplicate-of-itself');
      // The same link again (a retried resolution) changes nothing; another link is a conflict.
      if (state.duplicateOf === command.data.duplicateOf) return [];
      if (state.duplicateOf !== undefined) return personError('already-duplicate-of-another');
      return [{ type: 'PersonMarkedDuplicateOf', data: command.data }];
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = { initialState: initialPersonState, decide: decidePerson, evolve: evolvePerson };
