import { fold, isDomainError } from '@haidang/decider';
import { decide, headcountOn, staffRosterDecider, type RegisterStaff, type StaffRosterCommand, type StaffRosterDecision } from './staff-roster.decider';
import { STAFF_ROSTER_ERROR_MESSAGES, type StaffRosterErrorCode } from './staff-roster.errors';
import type { StaffRosterEvent } from './staff-roster.events';

const NOW = new Date('2022-12-20T03:00:00Z');
const identity = { rosterId: 'r-1', provinceCode: '22', agencyCode: '22-REHAB_FACILITY-1', group: 'REHAB_STAFF' as const };
const register = (over: Partial<RegisterStaff['data']> = {}): RegisterStaff => ({
  type: 'RegisterStaff',
  data: { ...identity, headcount: 52, asOf: '2022-01-01', recordedByType: 'DOLISA', ...over },
});
const change = (headcount: number, asOf: string, recordedByType = 'DOLISA'): StaffRosterCommand => ({
  type: 'ChangeHeadcount',
  data: { headcount, asOf, recordedByType },
});
const registered: StaffRosterEvent = { type: 'StaffRosterRegistered', data: { ...identity, headcount: 52, asOf: '2022-01-01' } };
const given = (...events: StaffRosterEvent[]) => ({ when: (c: StaffRosterCommand): StaffRosterDecision => decide(c, fold(staffRosterDecider, events), NOW) });
const errorCode = (d: StaffRosterDecision): string => (isDomainError(d) ? d.code : 'no error');

describe('staff roster decider', () => {
  it('registers an agency’s staff of one group, then counts from later days; the count in force is the latest on or before a day', () => {
    expect(given().when(register())).toEqual([registered]);
    const changed = given(registered).when(change(58, '2022-07-01'));
    expect(changed).toEqual([{ type: 'StaffHeadcountChanged', data: { ...identity, headcount: 58, asOf: '2022-07-01' } }]);
    const state = fold(staffRosterDecider, [registered, ...(changed as StaffRosterEvent[])]);
    expect(headcountOn(state, '2021-12-31')).toBeUndefined();
    expect(headcountOn(state, '2022-06-30')).toEqual({ headcount: 52, asOf: '2022-01-01' });
    expect(headcountOn(state, '2022-12-31')).toEqual({ headcount: 58, asOf: '2022-07-01' });
    // Health records for the province after the 2025 reorganisation; a count of 0 is a fact too.
    expect(errorCode(given().when(register({ asOf: '2022-12-01', recordedByType: 'HEALTH' })))).toBe('agency-not-holder');
    expect(given(registered).when(change(0, '2022-12-01'))).toHaveLength(1);
  });

  const refusals: ReadonlyArray<readonly [StaffRosterErrorCode, readonly StaffRosterEvent[], StaffRosterCommand]> = [
    ['already-registered', [registered], register()],
    ['not-registered', [], change(10, '2022-02-01')],
    ['missing-reference', [], register({ agencyCode: ' ' })],
    ['unknown-group', [], register({ group: 'ASTRONAUTS' as never })],
    ['agency-in-another-province', [], register({ agencyCode: '20-REHAB_FACILITY-1' })],
    ['invalid-count', [], register({ headcount: -1 })],
    ['invalid-date', [], register({ asOf: '2022-02-30' })],
    ['date-in-future', [registered], change(10, '2022-12-21')],
    ['count-not-after-last', [registered], change(10, '2022-01-01')],
    ['agency-not-holder', [registered], change(10, '2022-03-01', 'HEALTH')],
  ];
  it.each(refusals)('refuses with %s', (code, events, command) => {
    expect(errorCode(given(...events).when(command))).toBe(code);
  });
  it('has a refusal above for every error code', () => {
    expect(refusals.map(([c]) => c).sort()).toEqual(Object.keys(STAFF_ROSTER_ERROR_MESSAGES).sort());
  });
});
