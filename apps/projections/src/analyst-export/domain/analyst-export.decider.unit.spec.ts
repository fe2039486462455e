import { fold, isDomainError } from '@haidang/decider';
import type { AnalystExportCommand } from './analyst-export.commands';
import { decide, analystExportDecider, type AnalystExportDecision } from './analyst-export.decider';
import { ANALYST_EXPORT_ERROR_MESSAGES, type AnalystExportErrorCode } from './analyst-export.errors';
import type { AnalystExportEvent } from './analyst-export.events';

/** 10:00 in Vietnam on 2026-09-01. */
const NOW = new Date('2026-09-01T03:00:00Z');

const given = (...events: AnalystExportEvent[]) => ({
  when: (command: AnalystExportCommand, now: Date = NOW): AnalystExportDecision => decide(command, fold(analystExportDecider, events), now),
});
const errorCode = (decision: AnalystExportDecision): string => (isDomainError(decision) ? decision.code : 'no error');

const registration = { recordId: 'record-1', communeCode: '06793', provinceCode: '22', registeredOn: '2026-08-03', note: 'Met at the commune office.' };
const register = (over: Partial<typeof registration> = {}): AnalystExportCommand => ({ type: 'RegisterAnalystExport', data: { ...registration, ...over } });
const close = (closedOn = '2026-08-20'): AnalystExportCommand => ({ type: 'CloseAnalystExport', data: { closedOn, outcome: 'RESOLVED' } });
const registered: AnalystExportEvent = { type: 'AnalystExportRegistered', data: registration };
const closed: AnalystExportEvent = { type: 'AnalystExportClosed', data: { closedOn: '2026-08-20', outcome: 'RESOLVED' } };

describe('analyst export decider', () => {
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
    expect(fold(analystExportDecider, [registered, closed])).toEqual({
      status: 'CLOSED',
      recordId: 'record-1',
      communeCode: '06793',
      provinceCode: '22',
      registeredOn: '2026-08-03',
      closedOn: '2026-08-20',
      outcome: 'RESOLVED',
    });
  });

  const refusals: ReadonlyArray<readonly [AnalystExportErrorCode, readonly AnalystExportEvent[], AnalystExportCommand]> = [
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
    expect(refusals.map(([code]) => code).sort()).toEqual(Object.keys(ANALYST_EXPORT_ERROR_MESSAGES).sort());
  });
});
