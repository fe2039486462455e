import { isIsoDate, vietnamDateOf, type IsoDate } from '@haidang/calendar';
import type { Decider } from '@haidang/decider';
import { establishmentError, type EstablishmentError } from './establishment.errors';
import type { EstablishmentClosed, EstablishmentEvent, EstablishmentRegistered } from './establishment.events';

export type RegisterEstablishment = { readonly type: 'RegisterEstablishment'; readonly data: EstablishmentRegistered['data'] };
export type CloseEstablishment = { readonly type: 'CloseEstablishment'; readonly data: EstablishmentClosed['data'] };
export type EstablishmentCommand = RegisterEstablishment | CloseEstablishment;

export type EstablishmentState =
  | { readonly status: 'NONE' }
  | { readonly status: 'OPEN' | 'CLOSED'; readonly establishment: EstablishmentRegistered['data']; readonly closedOn: IsoDate | null };
export type EstablishmentDecision = readonly EstablishmentEvent[] | EstablishmentError;

export function initialState(): EstablishmentState {
  return { status: 'NONE' };
}

export function decide(command: EstablishmentCommand, state: EstablishmentState, now: Date): EstablishmentDecision {
  const today = vietnamDateOf(now);
  if (command.type === 'RegisterEstablishment') {
    if (state.status !== 'NONE') return establishmentError('already-registered');
    const d = command.data;
    if ([d.establishmentId, d.name, d.communeCode, d.provinceCode].some((s) => s.trim() === '')) return establishmentError('missing-reference');
    if (!isIsoDate(d.openedOn)) return establishmentError('invalid-date');
    if (d.openedOn > today) return establishmentError('date-in-future');
    if ((d.kind === 'SCHOOL') !== (d.schoolLevel !== null)) return establishmentError('school-level');
    return [{ type: 'EstablishmentRegistered', data: d }];
  }
  if (state.status === 'NONE') return establishmentError('not-registered');
  if (state.status === 'CLOSED') return establishmentError('already-closed');
  if (!isIsoDate(command.data.closedOn)) return establishmentError('invalid-date');
  if (command.data.closedOn > today) return establishmentError('date-in-future');
  if (command.data.closedOn < state.establishment.openedOn) return establishmentError('closed-before-opened');
  return [{ type: 'EstablishmentClosed', data: command.data }];
}

export function evolve(state: EstablishmentState, event: EstablishmentEvent): EstablishmentState {
  if (event.type === 'EstablishmentRegistered') return { status: 'OPEN', establishment: event.data, closedOn: null };
  return state.status === 'NONE' ? state : { ...state, status: 'CLOSED', closedOn: event.data.closedOn };
}

export const establishmentDecider: Decider<EstablishmentCommand, EstablishmentEvent, EstablishmentState> = { initialState, decide, evolve };
