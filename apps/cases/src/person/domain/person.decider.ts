/**
 * The Person aggregate as a decider: plain data in, plain data out. Personal fields arrive here
 * already encrypted (the handler protects them before deciding): the decider never sees a name.
 */

/** Stream of one person: `Person-<uuid>` (DESIGN.md public surface). */
export const personStream = (personId: string): string => `Person-${personId}`;

/** Residence as stored: the address is personal data (encrypted); the unit codes are not, they scope access. */
export type Residence = {
  readonly provinceCode: string;
  readonly communeCode: string;
};

/** `PersonRegistered` v1. `fullName`, `personalId`, `dateOfBirth`, `address`, `phone` are `pii:v1:` ciphertexts. */
export type PersonRegisteredV1 = {
  readonly personId: string;
  readonly fullName: string;
  readonly personalId?: string;
  readonly dateOfBirth: string;
  readonly sex: 'MALE' | 'FEMALE';
  readonly address: string;
  readonly phone?: string;
  readonly residence: Residence;
  /** Keyed hash of the 12-digit personal ID, to find the person without the ID in the clear. */
  readonly personalIdIndex?: string;
  /** Keyed hash of the normalized name (diacritics and case removed), for search and duplicates. */
  readonly nameIndex: string;
};

/** `PersonErased` v1: a marker after the person's key was shredded; it carries no personal data. */
export type PersonErasedV1 = {
  readonly personId: string;
  readonly reason: string;
};

export type PersonEvent = { readonly type: 'PersonRegistered'; readonly data: PersonRegisteredV1 } | { readonly type: 'PersonErased'; readonly data: PersonErasedV1 };

export type PersonState =
  | { readonly status: 'absent' }
  | { readonly status: 'registered'; readonly registered: PersonRegisteredV1 }
  | { readonly status: 'erased'; readonly registered: PersonRegisteredV1 };

export type PersonCommand =
  | { readonly type: 'RegisterPerson'; readonly data: PersonRegisteredV1 }
  | { readonly type: 'RecordErasure'; readonly data: PersonErasedV1 };

/** Named errors the HTTP layer maps to statuses in one place. */
export type PersonError = 'person-already-registered' | 'person-not-found' | 'person-already-erased';

export const initialPersonState: PersonState = { status: 'absent' };

export function evolvePerson(state: PersonState, event: PersonEvent): PersonState {
  switch (event.type) {
    case 'PersonRegistered':
      return { status: 'registered', registered: event.data };
    case 'PersonErased':
      return state.status === 'absent' ? state : { status: 'erased', registered: state.registered };
  }
}

export function decidePerson(command: PersonCommand, state: PersonState): readonly PersonEvent[] | PersonError {
  switch (command.type) {
    case 'RegisterPerson':
      if (state.status !== 'absent') return 'person-already-registered';
      return [{ type: 'PersonRegistered', data: command.data }];
    case 'RecordErasure':
      if (state.status === 'absent') return 'person-not-found';
      if (state.status === 'erased') return 'person-already-erased';
      return [{ type: 'PersonErased', data: command.data }];
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}
