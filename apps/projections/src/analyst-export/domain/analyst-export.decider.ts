import { isIsoDate, vietnamDateOf, type IsoDate } from '@haidang/calendar';
import type { Decider } from '@haidang/decider';
import type { CloseAnalystExport, AnalystExportCommand, RegisterAnalystExport } from './analyst-export.commands';
import { analystExportError, type AnalystExportError } from './analyst-export.errors';
import type { AnalystExportEvent, AnalystExportOutcome } from './analyst-export.events';

export type AnalystExportStatus = 'NONE' | 'OPEN' | 'CLOSED';

/** What the rules need. The personal note is not kept: no rule reads it, and the log holds it encrypted. */
export interface AnalystExportState {
  readonly status: AnalystExportStatus;
  readonly recordId: string | null;
  readonly communeCode: string | null;
  readonly provinceCode: string | null;
  readonly registeredOn: IsoDate | null;
  readonly closedOn: IsoDate | null;
  readonly outcome: AnalystExportOutcome | null;
}

export function initialState(): AnalystExportState {
  return { status: 'NONE', recordId: null, communeCode: null, provinceCode: null, registeredOn: null, closedOn: null, outcome: null };
}

export type AnalystExportDecision = readonly AnalystExportEvent[] | AnalystExportError;

/** `now` is the instant the command is handled; only today's date in Vietnam (UTC+7) is read from it. */
export function decide(command: AnalystExportCommand, state: AnalystExportState, now: Date): AnalystExportDecision {
  switch (command.type) {
    case 'RegisterAnalystExport':
      return register(command, state, now);
    case 'CloseAnalystExport':
      return close(command, state, now);
    default:
      return assertNever(command);
  }
}

function register(command: RegisterAnalystExport, state: AnalystExportState, now: Date): AnalystExportDecision {
  if (state.status !== 'NONE') return analystExportError('already-registered');
  const { recordId, communeCode, provinceCode, registeredOn, note } = command.data;
  if (recordId.trim() === '' || communeCode.trim() === '' || provinceCode.trim() === '') return analystExportError('missing-reference');
  const badDate = checkDate(registeredOn, now);
  if (badDate !== undefined) return badDate;
  if (note.trim() === '') return analystExportError('empty-note');
  return [{ type: 'AnalystExportRegistered', data: { recordId, communeCode, provinceCode, registeredOn, note } }];
}

function close(command: CloseAnalystExport, state: AnalystExportState, now: Date): AnalystExportDecision {
  if (state.status === 'NONE') return analystExportError('not-registered');
  if (state.status === 'CLOSED') return analystExportError('already-closed');
  const { closedOn, outcome } = command.data;
  const badDate = checkDate(closedOn, now);
  if (badDate !== undefined) return badDate;
  // ISO dates compare as strings.
  if (state.registeredOn !== null && closedOn < state.registeredOn) return analystExportError('closed-before-registered');
  return [{ type: 'AnalystExportClosed', data: { closedOn, outcome } }];
}

/** A real calendar day, not after today in Vietnam. */
function checkDate(date: string, now: Date): AnalystExportError | undefined {
  if (!isIsoDate(date)) return analystExportError('invalid-date');
  if (date > vietnamDateOf(now)) return analystExportError('date-in-future');
  return undefined;
}

export function evolve(state: AnalystExportState, event: AnalystExportEvent): AnalystExportState {
  switch (event.type) {
    case 'AnalystExportRegistered':
      return {
        ...state,
        status: 'OPEN',
        recordId: event.data.recordId,
        communeCode: event.data.communeCode,
        provinceCode: event.data.provinceCode,
        registeredOn: event.data.registeredOn,
      };
    case 'AnalystExportClosed':
      return { ...state, status: 'CLOSED', closedOn: event.data.closedOn, outcome: event.data.outcome };
    default:
      return assertNever(event);
  }
}

/** The compiler flags a command or event type without a case above. */
function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

export const analystExportDecider: Decider<AnalystExportCommand, AnalystExportEvent, AnalystExportState> = { initialState, decide, evolve };
