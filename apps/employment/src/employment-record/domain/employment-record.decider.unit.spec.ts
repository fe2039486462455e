import { fold, isDomainError } from '@haidang/decider';
import type { EmploymentRecordCommand } from './employment-record.commands';
import { decide, employmentRecordDecider, type EmploymentRecordDecision } from './employment-record.decider';
import { EMPLOYMENT_RECORD_ERROR_MESSAGES, type EmploymentRecordErrorCode } from './employment-record.errors';
import type { EmploymentRecordEvent } from './employment-record.events';

/** 10:00 in Vietnam on 2026-09-01. */
const NOW = new Date('2026-09-01T03:00:00Z');

const given = (...events: EmploymentRecordEvent[]) => ({
  when: (command: EmploymentRecordCommand, now: Date = NOW): EmploymentRecordDecision => decide(command, fold(employmentRecordDecider, events), now),
});
const errorCode = (decision: EmploymentRecordDecision): string => (isDomainError(decision) ? decision.code : 'no error');

const registration = { recordId: 'record-1', communeCode: '06793', provinceCode: '22', registeredOn: '2026-08-03', note: 'Met at the commune office.' };
const register = (over: Partial<typeof registration> = {}): EmploymentRecordCommand => ({
  type: 'RegisterEmploymentRecord',
  data: { ...registration, ...over },
});
const close = (closedOn = '2026-08-20'): EmploymentRecordCommand => ({ type: 'CloseEmploymentRecord', data: { closedOn, outcome: 'RESOLVED' } });
const registered: EmploymentRecordEvent = { type: 'EmploymentRecordRegistered', data: registration };
const closed: EmploymentRecordEvent = { type: 'EmploymentRecordClosed', data: { closedOn: '2026-08-20', outcome: 'RESOLVED' } };

describe('employment record decider', () => {
  it('registers a record with its place, date and note', () => {
    expect(given().when(register())).toEqual([registered]);
  });

  it('closes an open record with its outcome', () => {
    expect(given(registered).when(close())).toEqual([closed]);
  });

  it('accepts today in Vietnam, already tomorrow in UTC terms', () => {
    // 2026-08-31 20:00 UTC is 2026-09-01 in Vietnam.
    expect(errorCode(given().when(register({ registeredOn: '2026-09-01' }), new Date('2026-08-31T20:00:00Z')))).toBe('no error');
  });

  it('folds the events into the state the rules read', () => {
    expect(fold(employmentRecordDecider, [registered, closed])).toEqual({
      status: 'CLOSED',
      recordId: 'record-1',
      communeCode: '06793',
      provinceCode: '22',
      registeredOn: '2026-08-03',
      closedOn: '2026-08-20',
      outcome: 'RESOLVED',
    });
  });

  const refusals: ReadonlyArray<readonly [EmploymentRecordErrorCode, readonly EmploymentRecordEvent[], EmploymentRecordCommand]> = [
    ['already-registered', [registered], register()],
    ['not-registered', [], close()],
    ['already-closed', [registered, closed], close('2026-08-21')],
    ['missing-reference', [], register({ communeCode: ' ' })],
    ['invalid-date', [], register({ registeredOn: '2026-02-30' })],
    ['date-in-future', [registered], close('2026-09-02')],
    ['closed-before-registered', [registered], close('2026-08-02')],
    ['empty-note', [], register({ note: '  ' })],
  ];

  it.each(refusals)('refuses with %s', (code, events, command) => {
    expect(errorCode(given(...events).when(command))).toBe(code);
  });

  it('has a refusal above for every error code', () => {
    expect(refusals.map(([code]) => code).sort()).toEqual(Object.keys(EMPLOYMENT_RECORD_ERROR_MESSAGES).sort());
  });
});
