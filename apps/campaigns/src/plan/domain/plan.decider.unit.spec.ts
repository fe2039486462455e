import { fold, isDomainError } from '@haidang/decider';
import type { PlanCommand } from './plan.commands';
import { decide, planDecider, targetsInForce, type PlanDecision } from './plan.decider';
import { PLAN_ERROR_MESSAGES, type PlanErrorCode } from './plan.errors';
import type { PlanEvent } from './plan.events';
import { adopt, adopted, adoption, amend, target, underPlan146 } from './plan.test-fixtures';

const PARENT = '6f1d1c1e-1111-4a4a-8a8a-000000000146';
const PARENT_FACTS = { provinceCode: '22', districtName: null, periodFrom: '2022-01-01', periodTo: '2022-12-31' };

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
    ['unknown-parent-plan', [], adopt({ parentPlanId: PARENT })],
    ['parent-not-provincial', [], adopt({ parentPlanId: PARENT }, { ...underPlan146, parent: { ...PARENT_FACTS, provinceCode: '20' } })],
    ['parent-not-provincial', [], adopt({ parentPlanId: PARENT }, { ...underPlan146, parent: { ...PARENT_FACTS, districtName: 'Huyện Cô Tô' } })],
    ['outside-parent-period', [], adopt({ parentPlanId: PARENT, periodTo: '2023-03-31' }, underPlan146)],
    ['district-plan-needs-parent', [], adopt({ districtName: 'Thành phố Cẩm Phả' }, underPlan146)],
    ['unknown-district', [], adopt({ parentPlanId: PARENT, districtName: 'Huyện Hoành Bồ' }, underPlan146)],
  ];

  it('records a district’s plan under the provincial plan, naming a district of the province on the day it was issued', () => {
    const district = { parentPlanId: PARENT, districtName: 'Thành phố Cẩm Phả', issuedBy: '22-DOLISA', number: '52/KH-UBND', issuedOn: '2022-06-10' };
    expect(given().when(adopt(district, underPlan146))).toEqual([adopted(district)]);
    // A district plan after the abolition of districts: refused whatever its targets.
    const late = { ...district, issuedOn: '2025-07-02', periodFrom: '2025-07-02', periodTo: '2025-12-31' };
    const laterParent = { ...underPlan146, parent: { ...PARENT_FACTS, periodFrom: '2025-01-01', periodTo: '2025-12-31' } };
    expect(errorCode(given().when(adopt(late, laterParent), new Date('2026-01-10T03:00:00Z')))).toBe('district-after-reform');
    // A provincial department's plan under plan 146 names no district.
    expect(errorCode(given().when(adopt({ parentPlanId: PARENT, issuedBy: '22-DOLISA' }, underPlan146)))).toBe('no error');
  });

  it('reads a plan recorded before districts were named (schema v1, no districtName) as provincial', () => {
    const { districtName: _none, ...v1 } = adoption;
    const state = fold(planDecider, [{ type: 'PlanAdopted', data: v1 } as unknown as PlanEvent]);
    expect(state.status === 'ADOPTED' && state.plan.districtName).toBeNull();
  });

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
    expect([...new Set([...refusals.map(([code]) => code), 'district-after-reform'])].sort()).toEqual(Object.keys(PLAN_ERROR_MESSAGES).sort());
  });

  it('keeps the plan as adopted when folding its amendments', () => {
    const state = fold(planDecider, [adopted(), amended]);
    expect(state).toMatchObject({ status: 'ADOPTED', plan: { number: adoption.number, leadAgency: '22-DOLISA' } });
    expect(state.status === 'ADOPTED' && state.versions.map((v) => v.version)).toEqual([0, 1]);
  });
});
