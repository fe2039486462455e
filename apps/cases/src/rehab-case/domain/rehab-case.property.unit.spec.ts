import fc from 'fast-check';
import { ISSUING_BODIES, REHAB_FORMS, regimeById, termRangeFor } from './legal-regimes';
import { addDays, vietnamDateOf } from './local-date';
import type { RehabCaseCommand } from './rehab-case.commands';
import { decide, evolve, initialState, REHAB_CASE_TRANSITIONS, type RehabCaseState, type RehabCaseStatus } from './rehab-case.decider';
import { ADDICTION_RESULTS, DISCONTINUATION_REASONS, REGISTRATION_SOURCES } from './rehab-case.events';

const NOW = new Date('2031-01-01T00:00:00Z');

const COMMAND_TYPES = [
  'RegisterRehabCase',
  'DetermineAddiction',
  'DecideRehabForm',
  'StartRehab',
  'NoteProgress',
  'ReduceTerm',
  'CompleteRehab',
  'DiscontinueRehab',
  'StartPostRehabManagement',
  'RecordRelapse',
  'RecordFacilityAdmission',
  'CloseRehabCase',
] as const satisfies readonly RehabCaseCommand['type'][];

/** One random step: a command type plus every knob any command could need. */
const step = fc.record({
  type: fc.constantFrom(...COMMAND_TYPES),
  // When set, the step sends the command that moves the case on from its current status, so that
  // sequences get deep into the lifecycle; the other knobs stay random.
  guided: fc.boolean(),
  // Mostly forward in time, sometimes far (to reach the end of a term), sometimes backwards.
  days: fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 30 }), weight: 8 },
    { arbitrary: fc.integer({ min: 150, max: 800 }), weight: 2 },
    { arbitrary: fc.integer({ min: -10, max: -1 }), weight: 1 },
  ),
  form: fc.constantFrom(...REHAB_FORMS),
  issuedBy: fc.oneof({ arbitrary: fc.constantFrom(...ISSUING_BODIES), weight: 2 }, { arbitrary: fc.constant('COMMUNE_CHAIR' as const), weight: 2 }),
  ageGroup: fc.constantFrom('ADULT' as const, 'MINOR' as const),
  // Biased towards valid values so that sequences get deep into the lifecycle.
  term: fc.oneof({ arbitrary: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }), weight: 1 }, { arbitrary: fc.constantFrom(6, 12), weight: 3 }),
  months: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 14 }), weight: 1 }, { arbitrary: fc.constantFrom(3, 12, 12), weight: 3 }),
  result: fc.constantFrom(...ADDICTION_RESULTS),
  reason: fc.constantFrom(...DISCONTINUATION_REASONS),
  source: fc.constantFrom(...REGISTRATION_SOURCES),
  priorCourses: fc.integer({ min: 0, max: 3 }),
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

const NEXT_COMMAND: Record<RehabCaseStatus, RehabCaseCommand['type']> = {
  NONE: 'RegisterRehabCase',
  REGISTERED: 'DetermineAddiction',
  ADDICTION_DETERMINED: 'DecideRehabForm',
  FORM_DECIDED: 'StartRehab',
  IN_REHAB: 'CompleteRehab',
  COMPLETED: 'StartPostRehabManagement',
  POST_REHAB_MANAGEMENT: 'RecordRelapse',
  NOT_ADDICTED: 'CloseRehabCase',
  DISCONTINUED: 'CloseRehabCase',
  RELAPSED: 'CloseRehabCase',
  CLOSED: 'CloseRehabCase',
};

function toCommand(step_: Step, status: RehabCaseStatus, date: string): RehabCaseCommand {
  const s = step_.guided ? { ...step_, type: NEXT_COMMAND[status] } : step_;
  const legalBasis = { decisionNo: '1/QĐ', decisionDate: date, issuedBy: s.issuedBy };
  switch (s.type) {
    case 'RegisterRehabCase':
      return { type: s.type, data: { caseId: 'c', personId: 'p', source: s.source, registeredOn: date, priorCourses: s.priorCourses } };
    case 'DetermineAddiction':
      return { type: s.type, data: { determinedOn: date, facilityId: 'f', result: s.result } };
    case 'DecideRehabForm':
      return { type: s.type, data: { form: s.form, legalBasis, ageGroup: s.ageGroup, termMonths: s.term } };
    case 'StartRehab':
      return { type: s.type, data: { startedOn: date } };
    case 'NoteProgress':
      return { type: s.type, data: { notedOn: date, note: 'note' } };
    case 'ReduceTerm':
      return { type: s.type, data: { months: s.months, legalBasis } };
    case 'CompleteRehab':
      return { type: s.type, data: { completedOn: date } };
    case 'DiscontinueRehab':
      return { type: s.type, data: { discontinuedOn: date, reason: s.reason } };
    case 'StartPostRehabManagement':
      return { type: s.type, data: { legalBasis, startedOn: date, termMonths: s.months } };
    case 'RecordRelapse':
      return { type: s.type, data: { detectedOn: date } };
    case 'RecordFacilityAdmission':
      // Few referral ids, so that redeliveries happen.
      return { type: s.type, data: { referralId: `r-${s.priorCourses}`, facilityAgency: '22-REHAB_FACILITY-1', acceptedOn: date } };
    case 'CloseRehabCase':
      return { type: s.type, data: { closedOn: date } };
  }
}

/** Every invariant a reachable state must satisfy; returns the first one broken. */
function brokenInvariant(state: RehabCaseState): string | null {
  if (state.postRehab && (state.completedOn === null || state.postRehab.startedOn < state.completedOn)) return 'post-rehab before completion';
  if (state.status === 'POST_REHAB_MANAGEMENT' && !state.postRehab) return 'post-rehab status without a decision';
  if (state.form !== null) {
    if (state.regime === null || state.ageGroup === null || state.formDecision === null) return 'form without regime';
    const regime = regimeById(state.regime);
    const rule = regime.forms[state.form];
    if (!rule) return 'form not allowed by its regime';
    if (!rule.issuedBy.includes(state.formDecision.issuedBy)) return 'form decided by the wrong body';
    if (state.form === 'COMPULSORY_FACILITY' && state.addiction !== 'ADDICTED') return 'compulsory without addiction';
    const range = termRangeFor(rule, state.ageGroup, state.priorCourses);
    if (range === null ? state.termMonths !== null : state.termMonths === null) return 'term presence does not match the form';
    if (range && state.termMonths !== null && (state.termMonths < range.minMonths || state.termMonths > range.maxMonths)) return 'term out of range';
    const reduction = regime.termReduction;
    if (state.reductions > reduction.maxReductions) return 'too many reductions';
    if (
      state.reductions > 0 &&
      (state.reducedMonths < reduction.minMonths * state.reductions || state.reducedMonths > reduction.maxMonths * state.reductions)
    ) {
      return 'reduction out of range';
    }
  }
  if (state.startedOn !== null && state.expectedEndOn !== null && state.expectedEndOn <= state.startedOn) return 'term ends before it starts';
  if (state.postRehab) {
    const term = regimeById(state.postRehab.regime).postRehabManagement.term;
    if (state.postRehab.termMonths < term.minMonths || state.postRehab.termMonths > term.maxMonths) return 'post-rehab term out of range';
  }
  if (state.expectedNextForm !== null && !state.relapse?.duringPostRehabManagement) return 'expected form without relapse during management';
  if (state.relapse && state.completedOn === null) return 'relapse before completion';
  if (state.lastEventOn !== null && state.lastEventOn > vietnamDateOf(NOW)) return 'date in the future';
  if (new Set(state.admissions.map((a) => a.referralId)).size !== state.admissions.length) return 'one referral admitted twice';
  return null;
}

describe('rehab case decider, random command sequences', () => {
  it('never reach an invalid state, and move only along the lifecycle graph', () => {
    const reached = new Set<RehabCaseStatus>();
    fc.assert(
      fc.property(fc.constantFrom('2022-03-01', '2026-05-20', '2026-08-01'), fc.array(step, { maxLength: 40, size: 'max' }), (base, steps) => {
        let state = initialState();
        let cursor: string = base;
        for (const s of steps) {
          cursor = addDays(cursor, s.days);
          const result = decide(toCommand(s, state.status, cursor), state, NOW);
          if (!Array.isArray(result)) {
            expect(result.message.length).toBeGreaterThan(0);
            continue;
          }
          for (const event of result) {
            const next = evolve(state, event);
            if (!REHAB_CASE_TRANSITIONS[state.status].includes(next.status)) {
              throw new Error(`transition ${state.status} → ${next.status} by ${event.type}`);
            }
            if (state.lastEventOn !== null && next.lastEventOn !== null && next.lastEventOn < state.lastEventOn) {
              throw new Error(`date went back with ${event.type}`);
            }
            state = next;
            const broken = brokenInvariant(state);
            if (broken) throw new Error(`${broken} after ${event.type}`);
            reached.add(state.status);
          }
        }
      }),
      { numRuns: 2000 },
    );
    // Guards against a vacuous property: the generator must actually walk deep into the lifecycle.
    expect([...reached].sort()).toEqual(
      [
        'ADDICTION_DETERMINED',
        'CLOSED',
        'COMPLETED',
        'DISCONTINUED',
        'FORM_DECIDED',
        'IN_REHAB',
        'NOT_ADDICTED',
        'POST_REHAB_MANAGEMENT',
        'REGISTERED',
        'RELAPSED',
      ].sort(),
    );
  });
});
