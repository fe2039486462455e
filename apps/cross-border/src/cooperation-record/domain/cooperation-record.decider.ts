import { isIsoDate, vietnamDateOf, type IsoDate } from '@haidang/calendar';
import type { Decider } from '@haidang/decider';
import type { CloseCooperationRecord, CooperationRecordCommand, RegisterCooperationRecord } from './cooperation-record.commands';
import { cooperationRecordError, type CooperationRecordError } from './cooperation-record.errors';
import type { CooperationRecordEvent, CooperationRecordOutcome } from './cooperation-record.events';

export type CooperationRecordStatus = 'NONE' | 'OPEN' | 'CLOSED';

/** What the rules need. The personal note is not kept: no rule reads it, and the log holds it encrypted. */
export interface CooperationRecordState {
  readonly status: CooperationRecordStatus;
  readonly recordId: string | null;
  readonly communeCode: string | null;
  readonly provinceCode: string | null;
  readonly registeredOn: IsoDate | null;
  readonly closedOn: IsoDate | null;
  readonly outcome: CooperationRecordOutcome | null;
}

export function initialState(): CooperationRecordState {
  return { status: 'NONE', recordId: null, communeCode: null, provinceCode: null, registeredOn: null, closedOn: null, outcome: null };
}

export type CooperationRecordDecision = readonly CooperationRecordEvent[] | CooperationRecordError;

/** `now` is the instant the command is handled; only today's date in Vietnam (UTC+7) is read from it. */
export function decide(command: CooperationRecordCommand, state: CooperationRecordState, now: Date): CooperationRecordDecision {
  switch (command.type) {
    case 'RegisterCooperationRecord':
      return register(command, state, now);
    case 'CloseCooperationRecord':
      return close(command, state, now);
    default:
      return assertNever(command);
  }
}

function register(command: RegisterCooperationRecord, state: CooperationRecordState, now: Date): CooperationRecordDecision {
  if (state.status !== 'NONE') return cooperationRecordError('already-registered');
  const { recordId, communeCode, provinceCode, registeredOn, note } = command.data;
  if (recordId.trim() === '' || communeCode.trim() === '' || provinceCode.trim() === '') return cooperationRecordError('missing-reference');
  const badDate = checkDate(registeredOn, now);
  if (badDate !== undefined) return badDate;
  if (note.trim() === '') return cooperationRecordError('empty-note');
  return [{ type: 'CooperationRecordRegistered', data: { recordId, communeCode, provinceCode, registeredOn, note } }];
}

function close(command: CloseCooperationRecord, state: CooperationRecordState, now: Date): CooperationRecordDecision {
  if (state.status === 'NONE') return cooperationRecordError('not-registered');
  if (state.status === 'CLOSED') return cooperationRecordError('already-closed');
  const { closedOn, outcome } = command.data;
  const badDate = checkDate(closedOn, now);
  if (badDate !== undefined) return badDate;
  // ISO dates compare as strings.
  if (state.registeredOn !== null && closedOn < state.registeredOn) return cooperationRecordError('closed-before-registered');
  return [{ type: 'CooperationRecordClosed', data: { closedOn, outcome } }];
}

/** A real calendar day, not after today in Vietnam. */
function checkDate(date: string, now: Date): CooperationRecordError | undefined {
  if (!isIsoDate(date)) return cooperationRecordError('invalid-date');
  if (date > vietnamDateOf(now)) return cooperationRecordError('date-in-future');
  return undefined;
}

export function evolve(state: CooperationRecordState, event: CooperationRecordEvent): CooperationRecordState {
  switch (event.type) {
    case 'CooperationRecordRegistered':
      return {
        ...state,
        status: 'OPEN',
        recordId: event.data.recordId,
        communeCode: event.data.communeCode,
        provinceCode: event.data.provinceCode,
        registeredOn: event.data.registeredOn,
      };
    case 'CooperationRecordClosed':
      return { ...state, status: 'CLOSED', closedOn: event.data.closedOn, outcome: event.data.outcome };
    default:
      return assertNever(event);
  }
}

/** The compiler flags a command or event type without a case above. */
function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

export const cooperationRecordDecider: Decider<CooperationRecordCommand, CooperationRecordEvent, CooperationRecordState> = { initialState, decide, evolve };
