import { isIsoDate, vietnamDateOf, type IsoDate } from '@haidang/calendar';
import type { Decider } from '@haidang/decider';
import { actsForPreventionOn } from '../../agencies/domain/prevention-agencies';
import { staffRosterError, type StaffRosterError } from './staff-roster.errors';
import { STAFF_GROUPS, type StaffRosterEvent, type StaffRosterIdentity } from './staff-roster.events';

/** `recordedByType`: the recording agency's type (the date rule of the function holder). */
export type RegisterStaff = {
  readonly type: 'RegisterStaff';
  readonly data: StaffRosterIdentity & { readonly headcount: number; readonly asOf: IsoDate; readonly recordedByType: string };
};
export type ChangeHeadcount = {
  readonly type: 'ChangeHeadcount';
  readonly data: { readonly headcount: number; readonly asOf: IsoDate; readonly recordedByType: string };
};
export type StaffRosterCommand = RegisterStaff | ChangeHeadcount;

export interface HeadcountVersion {
  readonly headcount: number;
  readonly asOf: IsoDate;
}
export type StaffRosterState =
  { readonly status: 'NONE' } | { readonly status: 'REGISTERED'; readonly roster: StaffRosterIdentity; readonly counts: readonly HeadcountVersion[] };
export type StaffRosterDecision = readonly StaffRosterEvent[] | StaffRosterError;

export function initialState(): StaffRosterState {
  return { status: 'NONE' };
}

export function decide(command: StaffRosterCommand, state: StaffRosterState, now: Date): StaffRosterDecision {
  if (command.type === 'RegisterStaff') {
    if (state.status !== 'NONE') return staffRosterError('already-registered');
    const { recordedByType, headcount, asOf, ...roster } = command.data;
    if ([roster.rosterId, roster.provinceCode, roster.agencyCode].some((s) => s.trim() === '')) return staffRosterError('missing-reference');
    if (!(STAFF_GROUPS as readonly string[]).includes(roster.group)) return staffRosterError('unknown-group');
    if (!roster.agencyCode.startsWith(`${roster.provinceCode}-`)) return staffRosterError('agency-in-another-province');
    const bad = checkCount(headcount, asOf, recordedByType, now);
    return bad ?? [{ type: 'StaffRosterRegistered', data: { ...roster, headcount, asOf } }];
  }
  if (state.status !== 'REGISTERED') return staffRosterError('not-registered');
  const { headcount, asOf, recordedByType } = command.data;
  const bad = checkCount(headcount, asOf, recordedByType, now);
  if (bad !== undefined) return bad;
  const last = state.counts.at(-1);
  if (last !== undefined && asOf <= last.asOf) return staffRosterError('count-not-after-last');
  return [{ type: 'StaffHeadcountChanged', data: { ...state.roster, headcount, asOf } }];
}

function checkCount(headcount: number, asOf: string, recordedByType: string, now: Date): StaffRosterError | undefined {
  if (!Number.isInteger(headcount) || headcount < 0 || headcount > 100_000) return staffRosterError('invalid-count');
  if (!isIsoDate(asOf)) return staffRosterError('invalid-date');
  if (asOf > vietnamDateOf(now)) return staffRosterError('date-in-future');
  if (!actsForPreventionOn(recordedByType, asOf)) return staffRosterError('agency-not-holder');
  return undefined;
}

export function evolve(state: StaffRosterState, event: StaffRosterEvent): StaffRosterState {
  const { headcount, asOf, ...roster } = event.data;
  if (event.type === 'StaffRosterRegistered') return { status: 'REGISTERED', roster, counts: [{ headcount, asOf }] };
  return state.status === 'REGISTERED' ? { ...state, counts: [...state.counts, { headcount, asOf }] } : state;
}

/** The headcount in force on `date`: the latest count dated on or before it; undefined before the first. */
export function headcountOn(state: StaffRosterState, date: IsoDate): HeadcountVersion | undefined {
  if (state.status !== 'REGISTERED') return undefined;
  return state.counts.filter((c) => c.asOf <= date).at(-1);
}

export const staffRosterDecider: Decider<StaffRosterCommand, StaffRosterEvent, StaffRosterState> = { initialState, decide, evolve };
