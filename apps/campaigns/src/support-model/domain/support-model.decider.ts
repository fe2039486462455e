import { isIsoDate, vietnamDateOf, type IsoDate } from '@haidang/calendar';
import type { Decider } from '@haidang/decider';
import type { FoundSupportModel, LogSupportModelActivity, SupportModelCommand } from './support-model.commands';
import { supportModelError, type SupportModelError } from './support-model.errors';
import { SUPPORT_MODEL_CODE, type SupportModelEvent, type SupportModelFounded } from './support-model.events';

/** One span of activity: open while `to` is null. */
export interface ActiveSpan {
  readonly from: IsoDate;
  readonly to: IsoDate | null;
}

export type SupportModelState =
  | { readonly status: 'NONE' }
  | {
      readonly status: 'ACTIVE' | 'INACTIVE';
      readonly model: SupportModelFounded['data'];
      /** Active from founding to deactivation, again from each reactivation. */
      readonly spans: readonly ActiveSpan[];
      readonly totals: { readonly logs: number; readonly meetings: number; readonly personsSupported: number; readonly lastMembers: number | null };
    };

export function initialState(): SupportModelState {
  return { status: 'NONE' };
}

export type SupportModelDecision = readonly SupportModelEvent[] | SupportModelError;

export function decide(command: SupportModelCommand, state: SupportModelState, now: Date): SupportModelDecision {
  if (command.type === 'FoundSupportModel') return found(command, state, now);
  if (state.status === 'NONE') return supportModelError('not-founded');
  const today = vietnamDateOf(now);
  switch (command.type) {
    case 'DeactivateSupportModel': {
      const bad =
        checkDate(command.data.deactivatedOn, today) ?? (command.data.deactivatedOn < lastStart(state.spans) ? supportModelError('before-founded') : undefined);
      if (bad !== undefined) return bad;
      if (state.status === 'INACTIVE') return supportModelError('already-inactive');
      return [{ type: 'SupportModelDeactivated', data: command.data }];
    }
    case 'ReactivateSupportModel': {
      const bad = checkDate(command.data.reactivatedOn, today);
      if (bad !== undefined) return bad;
      if (state.status === 'ACTIVE') return supportModelError('already-active');
      const lastEnd = state.spans[state.spans.length - 1]?.to ?? state.model.foundedOn;
      if (command.data.reactivatedOn < lastEnd) return supportModelError('before-deactivated');
      return [{ type: 'SupportModelReactivated', data: command.data }];
    }
    case 'LogSupportModelActivity':
      return log(command, state, today);
    default:
      return assertNever(command);
  }
}

function found(command: FoundSupportModel, state: SupportModelState, now: Date): SupportModelDecision {
  if (state.status !== 'NONE') return supportModelError('already-founded');
  const d = command.data;
  if ([d.modelId, d.modelCode, d.name, d.communeCode, d.provinceCode].some((s) => s.trim() === '')) return supportModelError('missing-reference');
  const code = SUPPORT_MODEL_CODE.exec(d.modelCode);
  if (code === null || code[1] !== d.provinceCode) return supportModelError('invalid-code');
  const bad = checkDate(d.foundedOn, vietnamDateOf(now));
  if (bad !== undefined) return bad;
  return [{ type: 'SupportModelFounded', data: d }];
}

function log(command: LogSupportModelActivity, state: Extract<SupportModelState, { status: 'ACTIVE' | 'INACTIVE' }>, today: IsoDate): SupportModelDecision {
  const d = command.data;
  const bad = checkDate(d.periodFrom, today) ?? checkDate(d.periodTo, today);
  if (bad !== undefined) return bad;
  if (d.periodTo < d.periodFrom) return supportModelError('period-reversed');
  if (d.periodFrom < state.model.foundedOn) return supportModelError('before-founded');
  if ([d.meetings, d.members, d.personsSupported].some((n) => !Number.isInteger(n) || n < 0)) return supportModelError('invalid-count');
  const last = state.spans[state.spans.length - 1];
  if (state.status === 'INACTIVE' && last?.to !== null && last?.to !== undefined && d.periodFrom >= last.to) return supportModelError('model-inactive');
  return [{ type: 'SupportModelActivityLogged', data: d }];
}

const lastStart = (spans: readonly ActiveSpan[]): IsoDate => spans[spans.length - 1]?.from ?? '0000-01-01';

function checkDate(date: string, today: IsoDate): SupportModelError | undefined {
  if (!isIsoDate(date)) return supportModelError('invalid-date');
  if (date > today) return supportModelError('date-in-future');
  return undefined;
}

export function evolve(state: SupportModelState, event: SupportModelEvent): SupportModelState {
  if (event.type === 'SupportModelFounded') {
    return {
      status: 'ACTIVE',
      model: event.data,
      spans: [{ from: event.data.foundedOn, to: null }],
      totals: { logs: 0, meetings: 0, personsSupported: 0, lastMembers: null },
    };
  }
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'SupportModelDeactivated':
      return { ...state, status: 'INACTIVE', spans: state.spans.map((s, i) => (i === state.spans.length - 1 ? { ...s, to: event.data.deactivatedOn } : s)) };
    case 'SupportModelReactivated':
      return { ...state, status: 'ACTIVE', spans: [...state.spans, { from: event.data.reactivatedOn, to: null }] };
    case 'SupportModelActivityLogged':
      return {
        ...state,
        totals: {
          logs: state.totals.logs + 1,
          meetings: state.totals.meetings + event.data.meetings,
          personsSupported: state.totals.personsSupported + event.data.personsSupported,
          lastMembers: event.data.members,
        },
      };
    default:
      return assertNever(event);
  }
}

/** Was the model active on `date` (founded, and not within a span of inactivity)? */
export function isActiveOn(state: SupportModelState, date: IsoDate): boolean {
  return state.status !== 'NONE' && state.spans.some((s) => s.from <= date && (s.to === null || date < s.to));
}

function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

export const supportModelDecider: Decider<SupportModelCommand, SupportModelEvent, SupportModelState> = { initialState, decide, evolve };
