import { isIsoDate, vietnamDateOf, type IsoDate } from '@haidang/calendar';
import type { Decider } from '@haidang/decider';
import type { CloseActivity, ActivityCommand, RegisterActivity } from './activity.commands';
import { activityError, type ActivityError } from './activity.errors';
import type { ActivityEvent, ActivityOutcome } from './activity.events';

export type ActivityStatus = 'NONE' | 'OPEN' | 'CLOSED';

/** What the rules need. The personal note is not kept: no rule reads it, and the log holds it encrypted. */
export interface ActivityState {
  readonly status: ActivityStatus;
  readonly recordId: string | null;
  readonly communeCode: string | null;
  readonly provinceCode: string | null;
  readonly registeredOn: IsoDate | null;
  readonly closedOn: IsoDate | null;
  readonly outcome: ActivityOutcome | null;
}

export function initialState(): ActivityState {
  return { status: 'NONE', recordId: null, communeCode: null, provinceCode: null, registeredOn: null, closedOn: null, outcome: null };
}

export type ActivityDecision = readonly ActivityEvent[] | ActivityError;

/** `now` is the instant the command is handled; only today's date in Vietnam (UTC+7) is read from it. */
export function decide(command: ActivityCommand, state: ActivityState, now: Date): ActivityDecision {
  switch (command.type) {
    case 'RegisterActivity':
      return register(command, state, now);
    case 'CloseActivity':
      return close(command, state, now);
    default:
      return assertNever(command);
  }
}

function register(command: RegisterActivity, state: ActivityState, now: Date): ActivityDecision {
  if (state.status !== 'NONE') return activityError('already-registered');
  const { recordId, communeCode, provinceCode, registeredOn, note } = command.data;
  if (recordId.trim() === '' || communeCode.trim() === '' || provinceCode.trim() === '') return activityError('missing-reference');
  const badDate = checkDate(registeredOn, now);
  if (badDate !== undefined) return badDate;
  if (note.trim() === '') return activityError('empty-note');
  return [{ type: 'ActivityRegistered', data: { recordId, communeCode, provinceCode, registeredOn, note } }];
}

function close(command: CloseActivity, state: ActivityState, now: Date): ActivityDecision {
  if (state.status === 'NONE') return activityError('not-registered');
  if (state.status === 'CLOSED') return activityError('already-closed');
  const { closedOn, outcome } = command.data;
  const badDate = checkDate(closedOn, now);
  if (badDate !== undefined) return badDate;
  // ISO dates compare as strings.
  if (state.registeredOn !== null && closedOn < state.registeredOn) return activityError('closed-before-registered');
  return [{ type: 'ActivityClosed', data: { closedOn, outcome } }];
}

/** A real calendar day, not after today in Vietnam. */
function checkDate(date: string, now: Date): ActivityError | undefined {
  if (!isIsoDate(date)) return activityError('invalid-date');
  if (date > vietnamDateOf(now)) return activityError('date-in-future');
  return undefined;
}

export function evolve(state: ActivityState, event: ActivityEvent): ActivityState {
  switch (event.type) {
    case 'ActivityRegistered':
      return {
        ...state,
        status: 'OPEN',
        recordId: event.data.recordId,
        communeCode: event.data.communeCode,
        provinceCode: event.data.provinceCode,
        registeredOn: event.data.registeredOn,
      };
    case 'ActivityClosed':
      return { ...state, status: 'CLOSED', closedOn: event.data.closedOn, outcome: event.data.outcome };
    default:
      return assertNever(event);
  }
}

/** The compiler flags a command or event type without a case above. */
function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

export const activityDecider: Decider<ActivityCommand, ActivityEvent, ActivityState> = { initialState, decide, evolve };
