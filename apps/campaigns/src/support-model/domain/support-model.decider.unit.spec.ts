import { fold, isDomainError } from '@haidang/decider';
import type { SupportModelCommand } from './support-model.commands';
import { decide, isActiveOn, supportModelDecider, type SupportModelDecision } from './support-model.decider';
import { SUPPORT_MODEL_ERROR_MESSAGES, type SupportModelErrorCode } from './support-model.errors';
import type { SupportModelEvent, SupportModelFounded } from './support-model.events';

const NOW = new Date('2022-12-20T03:00:00Z');
const given = (...events: SupportModelEvent[]) => ({
  when: (command: SupportModelCommand, now: Date = NOW): SupportModelDecision => decide(command, fold(supportModelDecider, events), now),
});
const errorCode = (decision: SupportModelDecision): string => (isDomainError(decision) ? decision.code : 'no error');

const club: SupportModelFounded['data'] = {
  modelId: 'm-3',
  modelCode: '22-SUPPORT_MODEL-3',
  name: 'CLB hỗ trợ người sau cai nghiện phường Cẩm Phả',
  kind: 'AFTER_CARE_CLUB',
  ownerType: 'COMMUNE',
  ownerAgency: '22-COMMUNE-06793',
  communeCode: '06793',
  provinceCode: '22',
  foundedOn: '2019-03-15',
};
const found = (over: Partial<SupportModelFounded['data']> = {}): SupportModelCommand => ({ type: 'FoundSupportModel', data: { ...club, ...over } });
const founded: SupportModelEvent = { type: 'SupportModelFounded', data: club };
const deactivate = (deactivatedOn = '2022-09-01'): SupportModelCommand => ({ type: 'DeactivateSupportModel', data: { deactivatedOn, reason: 'NO_FUNDING' } });
const deactivated: SupportModelEvent = { type: 'SupportModelDeactivated', data: { deactivatedOn: '2022-09-01', reason: 'NO_FUNDING' } };
const reactivate = (reactivatedOn = '2022-10-01'): SupportModelCommand => ({ type: 'ReactivateSupportModel', data: { reactivatedOn } });
const log = (
  over: Partial<{ periodFrom: string; periodTo: string; meetings: number; members: number; personsSupported: number }> = {},
): SupportModelCommand => ({
  type: 'LogSupportModelActivity',
  data: { periodFrom: '2022-04-01', periodTo: '2022-06-30', meetings: 3, members: 18, personsSupported: 7, ...over },
});

describe('support model decider', () => {
  it('founds the after-care club that referrals sends persons to, under its agency code', () => {
    expect(given().when(found())).toEqual([founded]);
  });

  it('logs counts, deactivates and reactivates with dates, and knows when it was active', () => {
    expect(given(founded).when(log())).toMatchObject([{ type: 'SupportModelActivityLogged', data: { meetings: 3, personsSupported: 7 } }]);
    expect(given(founded).when(deactivate())).toEqual([deactivated]);
    const reactivated = given(founded, deactivated).when(reactivate());
    expect(reactivated).toEqual([{ type: 'SupportModelReactivated', data: { reactivatedOn: '2022-10-01' } }]);
    const state = fold(supportModelDecider, [founded, deactivated, ...(reactivated as SupportModelEvent[])]);
    expect(isActiveOn(state, '2019-03-14')).toBe(false);
    expect(isActiveOn(state, '2022-08-31')).toBe(true);
    expect(isActiveOn(state, '2022-09-15')).toBe(false);
    expect(isActiveOn(state, '2022-10-01')).toBe(true);
  });

  it('sums what was logged', () => {
    const logged = (meetings: number, personsSupported: number): SupportModelEvent => ({
      type: 'SupportModelActivityLogged',
      data: { periodFrom: '2022-01-01', periodTo: '2022-03-31', meetings, members: 20, personsSupported },
    });
    expect(fold(supportModelDecider, [founded, logged(2, 5), logged(3, 4)])).toMatchObject({
      totals: { logs: 2, meetings: 5, personsSupported: 9, lastMembers: 20 },
    });
  });

  it('lets an inactive model log a period that began while it was active', () => {
    expect(errorCode(given(founded, deactivated).when(log({ periodFrom: '2022-07-01', periodTo: '2022-09-30' })))).toBe('no error');
  });

  const refusals: ReadonlyArray<readonly [SupportModelErrorCode, readonly SupportModelEvent[], SupportModelCommand]> = [
    ['already-founded', [founded], found()],
    ['not-founded', [], log()],
    ['missing-reference', [], found({ name: ' ' })],
    ['invalid-code', [], found({ modelCode: '20-SUPPORT_MODEL-3' })],
    ['invalid-date', [], found({ foundedOn: '2022-02-30' })],
    ['date-in-future', [founded], deactivate('2022-12-21')],
    ['already-inactive', [founded, deactivated], deactivate('2022-09-02')],
    ['already-active', [founded], reactivate()],
    ['before-founded', [founded], log({ periodFrom: '2019-01-01' })],
    ['before-deactivated', [founded, deactivated], reactivate('2022-08-31')],
    ['period-reversed', [founded], log({ periodFrom: '2022-06-30', periodTo: '2022-04-01' })],
    ['model-inactive', [founded, deactivated], log({ periodFrom: '2022-09-01', periodTo: '2022-09-30' })],
    ['invalid-count', [founded], log({ meetings: -1 })],
  ];

  it.each(refusals)('refuses with %s', (code, events, command) => {
    expect(errorCode(given(...events).when(command))).toBe(code);
  });

  it('has a refusal above for every error code', () => {
    expect(refusals.map(([code]) => code).sort()).toEqual(Object.keys(SUPPORT_MODEL_ERROR_MESSAGES).sort());
  });
});
