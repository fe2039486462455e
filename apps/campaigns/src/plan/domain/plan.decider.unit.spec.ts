import { fold, isDomainError } from '@haidang/decider';
import type { PlanCommand } from './plan.commands';
import { decide, planDecider, targetsInForce, type PlanDecision } from './plan.decider';
import { PLAN_ERROR_MESSAGES, type PlanErrorCode } from './plan.errors';
import type { PlanEvent } from './plan.events';
import { adopt, adopted, adoption, amend, target } from './plan.test-fixtures';

/** 10:00 in Vietnam on 2022-09-01. */
const NOW = new Date('2022-09-01T03:00:00Z');

const given = (...events: PlanEvent[]) => ({
  when: (command: PlanCommand, now: Date = NOW): PlanDecision => decide(command, fold(planDecider, events), now),
});
const errorCode = (decision: PlanDecision): string => (isDomainError(decision) ? decision.code : 'no error');

describe('plan decider', () => {
  it('records plan 146 with its targets as data', () => {
    expect(given().when(adopt())).toEqual([adopted()]);
  });

  it('amends the targets from a date, numbering the amendments', () => {
    const first = given(adopted()).when(amend('2022-07-01'));
    expect(first).toEqual([
      {
        type: 'PlanAmended',
        data: { amendmentNo: 1, number: '201/KH-UBND', issuedOn: '2022-07-01', effectiveFrom: '2022-07-01', targets: [target({ value: 90 })] },
      },
    ]);
    const second = given(adopted(), ...(first as PlanEvent[])).when(amend('2022-10-01', [target({ value: 95 })], { issuedOn: '2022-08-20' }));
    expect(second).toMatchObject([{ type: 'PlanAmended', data: { amendmentNo: 2, effectiveFrom: '2022-10-01' } }]);
  });

  it('accepts district targets in a plan issued before 2025-07-01 and counts as whole numbers', () => {
    const districts = target({ indicator: 'DISTRICTS_WITH_PLAN', unitLevel: 'DISTRICT', countedEvents: ['campaigns.PlanAdopted.v1'] });
    const clubs = target({ indicator: 'AFTER_CARE_CLUBS', kind: 'COUNT', value: 9, denominator: null, unitLevel: 'PROVINCE' });
    expect(errorCode(given().when(adopt({ targets: [districts, clubs] })))).toBe('no error');
  });

  it('answers the targets in force on a day: the adopted ones, then each amendment from its day, none outside the period', () => {
    const state = fold(planDecider, [
      adopted(),
      { type: 'PlanAmended', data: { amendmentNo: 1, number: 'A', issuedOn: '2022-08-01', effectiveFrom: '2022-10-01', targets: [target({ value: 95 })] } },
      // Recorded later, effective earlier: order of recording does not matter.
      { type: 'PlanAmended', data: { amendmentNo: 2, number: 'B', issuedOn: '2022-08-02', effectiveFrom: '2022-07-01', targets: [target({ value: 90 })] } },
    ]);
    expect(targetsInForce(state, '2021-12-31')).toBeUndefined();
    expect(targetsInForce(state, '2022-01-01')?.version).toBe(0);
    expect(targetsInForce(state, '2022-06-30')?.version).toBe(0);
    expect(targetsInForce(state, '2022-07-01')?.version).toBe(2);
    expect(targetsInForce(state, '2022-09-30')?.targets[0]?.value).toBe(90);
    expect(targetsInForce(state, '2022-10-01')?.targets[0]?.value).toBe(95);
    expect(targetsInForce(state, '2022-12-31')?.version).toBe(1);
    expect(targetsInForce(state, '2023-01-01')).toBeUndefined();
    expect(targetsInForce(fold(planDecider, []), '2022-05-01')).toBeUndefined();
  });

  const amended: PlanEvent = {
    type: 'PlanAmended',
    data: { amendmentNo: 1, number: 'A', issuedOn: '2022-07-01', effectiveFrom: '2022-07-01', targets: [target()] },
  };
  const refusals: ReadonlyArray<readonly [PlanErrorCode, readonly PlanEvent[], PlanCommand]> = [
    ['already-adopted', [adopted()], adopt()],
    ['not-adopted', [], amend('2022-07-01')],
    ['missing-reference', [], adopt({ number: ' ' })],
    ['invalid-date', [], adopt({ issuedOn: '2022-02-30' })],
    ['date-in-future', [], adopt({ issuedOn: '2022-09-02' })],
    ['period-reversed', [], adopt({ periodFrom: '2022-12-31', periodTo: '2022-01-01' })],
    ['no-targets', [], adopt({ targets: [] })],
    ['duplicate-indicator', [], adopt({ targets: [target(), target({ value: 50 })] })],
    ['percent-out-of-range', [], adopt({ targets: [target({ value: 101 })] })],
    ['count-not-positive', [], adopt({ targets: [target({ kind: 'COUNT', value: 2.5, denominator: null })] })],
    ['missing-denominator', [], adopt({ targets: [target({ denominator: null })] })],
    ['no-counted-events', [], adopt({ targets: [target({ countedEvents: [] })] })],
    ['amendment-outside-period', [adopted()], amend('2022-01-01')],
    ['amendment-date-taken', [adopted(), amended], amend('2022-07-01')],
    ['amendment-before-plan', [adopted()], amend('2022-07-01', [target()], { issuedOn: '2022-05-19' })],
  ];

  it.each(refusals)('refuses with %s', (code, events, command) => {
    expect(errorCode(given(...events).when(command))).toBe(code);
  });

  it('refuses district targets in a plan, or an amendment, issued from 2025-07-01 (district-after-reform)', () => {
    const now = new Date('2026-01-10T03:00:00Z');
    const district = [target({ unitLevel: 'DISTRICT' })];
    expect(errorCode(given().when(adopt({ issuedOn: '2025-07-01', periodFrom: '2025-07-01', periodTo: '2025-12-31', targets: district }), now))).toBe(
      'district-after-reform',
    );
    expect(errorCode(given().when(adopt({ issuedOn: '2025-06-30', periodFrom: '2025-07-01', periodTo: '2025-12-31', targets: district }), now))).toBe(
      'no error',
    );
    const plan2025 = adopted({ issuedOn: '2025-03-01', periodFrom: '2025-01-01', periodTo: '2025-12-31' });
    expect(errorCode(given(plan2025).when(amend('2025-08-01', district, { issuedOn: '2025-07-15' }), now))).toBe('district-after-reform');
    expect(errorCode(given(plan2025).when(amend('2025-08-01', district, { issuedOn: '2025-06-15' }), now))).toBe('no error');
  });

  it('has a refusal above for every error code', () => {
    expect([...refusals.map(([code]) => code), 'district-after-reform'].sort()).toEqual(Object.keys(PLAN_ERROR_MESSAGES).sort());
  });

  it('keeps the plan as adopted when folding its amendments', () => {
    const state = fold(planDecider, [adopted(), amended]);
    expect(state).toMatchObject({ status: 'ADOPTED', plan: { number: adoption.number, leadAgency: '22-DOLISA' } });
    expect(state.status === 'ADOPTED' && state.versions.map((v) => v.version)).toEqual([0, 1]);
  });
});
