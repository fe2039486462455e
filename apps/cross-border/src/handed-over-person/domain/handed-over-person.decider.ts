import { domainErrors, type Decider, type DomainError } from '@haidang/decider';
import { needsOf, SUPPORTED_CATEGORIES, type HandedOverPersonEvent, type HandedOverPersonRecorded, type SupportedCategory } from './handed-over-person.events';

export const HANDED_OVER_PERSON_ERROR_MESSAGES = {
  'already-recorded': 'this person is already recorded for the handover',
  'support-not-applicable': 'support is asked only for a trafficking victim or a returned citizen received from China',
  'support-incomplete': 'asking for support needs the agency asked (or the needs), the details cases registers the person with, and that registration',
  'need-listed-twice': 'each need is asked of one agency only',
  'already-erased': 'this person’s personal data has already been erased',
} as const;
export type HandedOverPersonErrorCode = keyof typeof HANDED_OVER_PERSON_ERROR_MESSAGES;
export const handedOverPersonError = domainErrors<HandedOverPersonErrorCode>(HANDED_OVER_PERSON_ERROR_MESSAGES);

export type RecordHandedOverPerson = { readonly type: 'RecordHandedOverPerson'; readonly data: HandedOverPersonRecorded['data'] };
/** Recorded after the person's key was destroyed (the service shreds it first). */
export type RecordErasure = { readonly type: 'RecordErasure'; readonly data: { readonly reference: string } };
export type HandedOverPersonCommand = RecordHandedOverPerson | RecordErasure;

export interface HandedOverPersonState {
  /** As recorded; the personal fields stay encrypted here (the store reveals them to those handling the person). */
  readonly recorded: HandedOverPersonRecorded['data'] | null;
  readonly erased: boolean;
}

export const initialHandedOverPersonState = (): HandedOverPersonState => ({ recorded: null, erased: false });

/** Whether support may be asked for a person of this handover: received from China, a victim or a returned citizen. */
export function supportApplies(direction: string, category: string): category is SupportedCategory {
  return direction === 'RECEIVED_FROM_CHINA' && (SUPPORTED_CATEGORIES as readonly string[]).includes(category);
}

export function decideHandedOverPerson(
  command: HandedOverPersonCommand,
  state: HandedOverPersonState,
  _now: Date,
): readonly HandedOverPersonEvent[] | DomainError<HandedOverPersonErrorCode> {
  switch (command.type) {
    case 'RecordHandedOverPerson': {
      if (state.recorded !== null) return handedOverPersonError('already-recorded');
      const { direction, category, support, supportAgency, casesPersonId } = command.data;
      const needs = needsOf(command.data);
      const asked = supportAgency !== null || needs.length > 0;
      if ((support !== null) !== asked || (support === null) !== (casesPersonId === null)) return handedOverPersonError('support-incomplete');
      if (new Set(needs.map((n) => n.need)).size !== needs.length) return handedOverPersonError('need-listed-twice');
      if (support !== null && !supportApplies(direction, category)) return handedOverPersonError('support-not-applicable');
      return [{ type: 'HandedOverPersonRecorded', data: command.data }];
    }
    case 'RecordErasure':
      // A person never recorded is the pipeline's "not found" before the decider is asked.
      if (state.erased) return handedOverPersonError('already-erased');
      return [{ type: 'HandedOverPersonErased', data: { reference: command.data.reference } }];
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

export function evolveHandedOverPerson(state: HandedOverPersonState, event: HandedOverPersonEvent): HandedOverPersonState {
  switch (event.type) {
    case 'HandedOverPersonRecorded':
      return { ...state, recorded: event.data };
    case 'HandedOverPersonErased':
      return { ...state, erased: true };
  }
}

export const handedOverPersonDecider: Decider<HandedOverPersonCommand, HandedOverPersonEvent, HandedOverPersonState> = {
  initialState: initialHandedOverPersonState,
  decide: decideHandedOverPerson,
  evolve: evolveHandedOverPerson,
};
