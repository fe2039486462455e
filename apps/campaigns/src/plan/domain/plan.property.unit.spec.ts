import { addDays, type IsoDate } from '@haidang/calendar';
import { fold, isDomainError } from '@haidang/decider';
import fc from 'fast-check';
import { decide, planDecider, targetsInForce, type PlanState } from './plan.decider';
import type { PlanEvent } from './plan.events';
import { adopted, amend, target } from './plan.test-fixtures';

const NOW = new Date('2023-06-01T03:00:00Z');
const PERIOD_FROM = '2022-01-01';
const day = (offset: number): IsoDate => addDays(PERIOD_FROM, offset);

/**
 * Whatever amendments are recorded, in whatever order: the targets in force on any day of the
 * period are those of the amendment with the latest effective date on or before that day (the plan
 * as adopted when there is none), computed here the naive way.
 */
describe('plan amendment by date (property)', () => {
  it('answers on every day the latest version effective on or before it', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 364 }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 364 }), { minLength: 1, maxLength: 20 }),
        (offsets, probes) => {
          let state: PlanState = fold(planDecider, [adopted()]);
          const effective: Array<{ from: IsoDate; value: number }> = [{ from: PERIOD_FROM, value: 100 }];
          offsets.forEach((offset, i) => {
            const value = 50 + i;
            const events = decide(amend(day(offset), [target({ value })], { number: `${i + 1}/KH-UBND` }), state, NOW);
            if (isDomainError(events)) throw new Error(events.code);
            state = fold(planDecider, events as PlanEvent[], state);
            effective.push({ from: day(offset), value });
          });
          for (const probe of probes) {
            const on = day(probe);
            const expected = effective.filter((e) => e.from <= on).sort((a, b) => (a.from < b.from ? 1 : -1))[0];
            expect(targetsInForce(state, on)?.targets[0]?.value).toBe(expected?.value);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a second amendment effective on a day already taken, whatever else was recorded', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 364 }), { minLength: 1, maxLength: 6 }), fc.nat(), (offsets, pick) => {
        let state: PlanState = fold(planDecider, [adopted()]);
        for (const offset of offsets) state = fold(planDecider, decide(amend(day(offset)), state, NOW) as PlanEvent[], state);
        const taken = offsets[pick % offsets.length] as number;
        const again = decide(amend(day(taken)), state, NOW);
        expect(isDomainError(again) && again.code).toBe('amendment-date-taken');
      }),
    );
  });
});
