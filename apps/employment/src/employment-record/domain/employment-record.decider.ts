import { isIsoDate, vietnamDateOf, type IsoDate } from '@haidang/calendar';
import type { Decider } from '@haidang/decider';
import type { CloseEmploymentRecord, EmploymentRecordCommand, RegisterEmploymentRecord } from './employment-record.commands';
import { employmentRecordError, type EmploymentRecordError } from './employment-record.errors';
import type { EmploymentRecordEvent, EmploymentRecordOutcome } from './employment-record.events';

export type EmploymentRecordStatus = 'NONE' | 'OPEN' | 'CLOSED';

/** What the rules need. The personal note is not kept: no rule reads it, and the log holds it encrypted. */
export interface EmploymentRecordState {
  readonly status: EmploymentRecordStatus;
  readonly recordId: string | null;
  readonly communeCode: string | null;
  readonly provinceCode: string | null;
  readonly registeredOn: IsoDate | null;
  readonly closedOn: IsoDate | null;
  readonly outcome: EmploymentRecordOutcome | null;
}

export function initialState(): EmploymentRecordState {
  return { status: 'NONE', recordId: null, communeCode: null, provinceCode: null, registeredOn: null, closedOn: null, outcome: null };
}

export type EmploymentRecordDecision = readonly EmploymentRecordEvent[] | EmploymentRecordError;

/** `now` is the instant the command is handled; only today's date in Vietnam (UTC+7) is read from it. */
export function decide(command: EmploymentRecordCommand, state: EmploymentRecordState, now: Date): EmploymentRecordDecision {
  switch (command.type) {
    case 'RegisterEmploymentRecord':
      return register(command, state, now);
    case 'CloseEmploymentRecord':
      return close(command, state, now);
    default:
      return assertNever(command);
  }
}

function register(command: RegisterEmploymentRecord, state: EmploymentRecordState, now: Date): EmploymentRecordDecision {
  if (state.status !== 'NONE') return employmentRecordError('already-registered');
  const { recordId, communeCode, provinceCode, registeredOn, note } = command.data;
  if (recordId.trim() === '' || communeCode.trim() === '' || provinceCode.trim() === '') return employmentRecordError('missing-reference');
  const badDate = checkDate(registeredOn, now);
  if (badDate !== undefined) return badDate;
  if (note.trim() === '') return employmentRecordError('empty-note');
  return [{ type: 'EmploymentRecordRegistered', data: { recordId, communeCode, provinceCode, registeredOn, note } }];
}

function close(command: CloseEmploymentRecord, state: EmploymentRecordState, now: Date): EmploymentRecordDecision {
  if (state.status === 'NONE') return employmentRecordError('not-registered');
  if (state.status === 'CLOSED') return employmentRecordError('already-closed');
  const { closedOn, outcome } = command.data;
  const badDate = checkDate(closedOn, now);
  if (badDate !== undefined) return badDate;
  // ISO dates compare as strings.
  if (state.registeredOn !== null && closedOn < state.registeredOn) return employmentRecordError('closed-before-registered');
  return [{ type: 'EmploymentRecordClosed', data: { closedOn, outcome } }];
}

/** A real calendar day, not after today in Vietnam. */
function checkDate(date: string, now: Date): EmploymentRecordError | undefined {
  if (!isIsoDate(date)) return employmentRecordError('invalid-date');
  if (date > vietnamDateOf(now)) return employmentRecordError('date-in-future');
  return undefined;
}

export function evolve(state: EmploymentRecordState, event: EmploymentRecordEvent): EmploymentRecordState {
  switch (event.type) {
    case 'EmploymentRecordRegistered':
      return {
        ...state,
        status: 'OPEN',
        recordId: event.data.recordId,
        communeCode: event.data.communeCode,
        provinceCode: event.data.provinceCode,
        registeredOn: event.data.registeredOn,
      };
    case 'EmploymentRecordClosed':
      return { ...state, status: 'CLOSED', closedOn: event.data.closedOn, outcome: event.data.outcome };
    default:
      return assertNever(event);
  }
}

/** The compiler flags a command or event type without a case above. */
function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

export const employmentRecordDecider: Decider<EmploymentRecordCommand, EmploymentRecordEvent, EmploymentRecordState> = { initialState, decide, evolve };
