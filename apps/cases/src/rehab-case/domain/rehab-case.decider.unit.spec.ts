import { addDays, addMonths } from './local-date';
import { evolve, initialState, replay } from './rehab-case.decider';
import type { RehabCaseEvent } from './rehab-case.events';
import {
  addicted,
  basis,
  compulsoryDecided,
  errorCode,
  given,
  LAW_120_FIXTURE,
  LAW_73_FIXTURE,
  type RegimeFixture,
  registered,
  started,
} from './rehab-case.test-fixtures';

describe.each([LAW_73_FIXTURE, LAW_120_FIXTURE])('rehab case decider under $label', (f: RegimeFixture) => {
  const expectedEnd = addMonths(f.startedOn, 12);
  const inRehab: RehabCaseEvent[] = [registered(f), addicted(f), compulsoryDecided(f, 12), started(f, expectedEnd)];
  const completedOn = expectedEnd;
  const completed: RehabCaseEvent[] = [...inRehab, { type: 'RehabCompleted', data: { completedOn } }];
  const postRehabStart = addDays(completedOn, 5);
  const postRehabEvent: RehabCaseEvent = {
    type: 'PostRehabManagementStarted',
    data: {
      legalBasis: basis(addDays(completedOn, 2), 'COMMUNE_CHAIR'),
      regime: postRehabRegime(addDays(completedOn, 2)),
      startedOn: postRehabStart,
      termMonths: 12,
      endsOn: addMonths(postRehabStart, 12),
    },
  };
  const underPostRehab: RehabCaseEvent[] = [...completed, postRehabEvent];

  describe('registration', () => {
    it('registers a case with its source', () => {
      const result = given().when({
        type: 'RegisterRehabCase',
        data: { caseId: 'case-1', personId: 'person-1', source: 'SELF_DECLARATION', registeredOn: f.registeredOn, priorCourses: 0 },
      });
      expect(result).toEqual([
        {
          type: 'RehabCaseRegistered',
          data: { caseId: 'case-1', personId: 'person-1', source: 'SELF_DECLARATION', registeredOn: f.registeredOn, priorCourses: 0 },
        },
      ]);
    });

    it('refuses to register twice', () => {
      const result = given(registered(f)).when({
        type: 'RegisterRehabCase',
        data: { caseId: 'case-1', personId: 'person-1', source: 'FAMILY', registeredOn: f.registeredOn, priorCourses: 0 },
      });
      expect(errorCode(result)).toBe('case-already-registered');
    });

    it('refuses a negative or fractional number of earlier courses', () => {
      for (const priorCourses of [-1, 0.5]) {
        const result = given().when({
          type: 'RegisterRehabCase',
          data: { caseId: 'case-1', personId: 'person-1', source: 'FAMILY', registeredOn: f.registeredOn, priorCourses },
        });
        expect(errorCode(result)).toBe('invalid-prior-courses');
      }
    });

    it('refuses a date after today in Vietnam (UTC+7)', () => {
      // 2026-11-27 20:00 UTC is already 2026-11-28 in Vietnam.
      const now = new Date('2026-11-27T20:00:00Z');
      const command = (registeredOn: string) =>
        ({ type: 'RegisterRehabCase', data: { caseId: 'c', personId: 'p', source: 'FAMILY', registeredOn, priorCourses: 0 } }) as const;
      expect(errorCode(given().when(command('2026-11-29'), now))).toBe('date-in-future');
      expect(errorCode(given().when(command('2026-11-28'), now))).toBe('no error');
    });

    it('refuses an impossible calendar date', () => {
      const result = given().when({
        type: 'RegisterRehabCase',
        data: { caseId: 'c', personId: 'p', source: 'FAMILY', registeredOn: '2022-02-30', priorCourses: 0 },
      });
      expect(errorCode(result)).toBe('invalid-date');
    });

    it('refuses any other command on an unregistered case', () => {
      expect(errorCode(given().when({ type: 'StartRehab', data: { startedOn: f.startedOn } }))).toBe('case-not-registered');
    });
  });

  describe('addiction determination', () => {
    it('records the date, facility and result', () => {
      const result = given(registered(f)).when({
        type: 'DetermineAddiction',
        data: { determinedOn: f.determinedOn, facilityId: 'facility-1', result: 'ADDICTED' },
      });
      expect(result).toEqual([addicted(f)]);
    });

    it('a "not addicted" result ends the case: no form can be decided', () => {
      const notAddicted: RehabCaseEvent = {
        type: 'AddictionDetermined',
        data: { determinedOn: f.determinedOn, facilityId: 'facility-1', result: 'ILLEGAL_USE_NOT_ADDICTION' },
      };
      const result = given(registered(f), notAddicted).when({
        type: 'DecideRehabForm',
        data: { form: 'VOLUNTARY_COMMUNITY', legalBasis: basis(f.decisionDate, 'COMMUNE_CHAIR'), ageGroup: 'ADULT', termMonths: 6 },
      });
      expect(errorCode(result)).toBe('not-addicted');
      expect(replay([registered(f), notAddicted]).status).toBe('NOT_ADDICTED');
    });

    it('a "not addicted" result after a voluntary decision lapses the form: rehab cannot start', () => {
      const voluntary: RehabCaseEvent = {
        type: 'RehabFormDecided',
        data: {
          form: 'VOLUNTARY_COMMUNITY',
          legalBasis: basis(f.decisionDate, 'COMMUNE_CHAIR'),
          regime: f.regime,
          ageGroup: 'ADULT',
          termMonths: 6,
          facilityId: null,
        },
      };
      const notAddicted: RehabCaseEvent = {
        type: 'AddictionDetermined',
        data: { determinedOn: addDays(f.decisionDate, 1), facilityId: 'facility-1', result: 'ILLEGAL_USE_NOT_ADDICTION' },
      };
      expect(errorCode(given(registered(f), voluntary, notAddicted).when({ type: 'StartRehab', data: { startedOn: addDays(f.decisionDate, 2) } }))).toBe(
        'rehab-before-form-decided',
      );
    });

    it('cannot be determined after rehab starts', () => {
      const result = given(
        registered(f),
        {
          type: 'RehabFormDecided',
          data: {
            form: 'VOLUNTARY_COMMUNITY',
            legalBasis: basis(f.decisionDate, 'COMMUNE_CHAIR'),
            regime: f.regime,
            ageGroup: 'ADULT',
            termMonths: 6,
            facilityId: null,
          },
        },
        started(f, addMonths(f.startedOn, 6)),
      ).when({
        type: 'DetermineAddiction',
        data: { determinedOn: f.startedOn, facilityId: 'facility-1', result: 'ADDICTED' },
      });
      expect(errorCode(result)).toBe('addiction-determination-after-start');
    });

    it('cannot be determined twice', () => {
      const result = given(registered(f), addicted(f)).when({
        type: 'DetermineAddiction',
        data: { determinedOn: f.determinedOn, facilityId: 'facility-1', result: 'ADDICTED' },
      });
      expect(errorCode(result)).toBe('addiction-already-determined');
    });

    it('cannot be dated before the registration', () => {
      const result = given(registered(f)).when({
        type: 'DetermineAddiction',
        data: { determinedOn: addDays(f.registeredOn, -1), facilityId: 'facility-1', result: 'ADDICTED' },
      });
      expect(errorCode(result)).toBe('date-before-previous-event');
    });
  });

  describe('form decision', () => {
    const decide = (form: string, issuedBy: string, termMonths: number | null, ageGroup = 'ADULT', date = f.decisionDate) =>
      ({
        type: 'DecideRehabForm',
        data: { form, legalBasis: basis(date, issuedBy as 'COURT'), ageGroup, termMonths, facilityId: 'facility-1' },
      }) as Parameters<ReturnType<typeof given>['when']>[0];

    it('records the form, its legal basis and the regime the decision date selects', () => {
      const result = given(registered(f), addicted(f)).when({
        type: 'DecideRehabForm',
        data: {
          form: 'COMPULSORY_FACILITY',
          legalBasis: basis(f.decisionDate, 'COURT', '07/QĐ-TA'),
          ageGroup: 'ADULT',
          termMonths: 12,
          facilityId: 'facility-1',
        },
      });
      expect(result).toEqual([compulsoryDecided(f, 12)]);
    });

    it('compulsory rehab needs a court decision', () => {
      const result = given(registered(f), addicted(f)).when(decide('COMPULSORY_FACILITY', 'COMMUNE_CHAIR', 12));
      expect(errorCode(result)).toBe('compulsory-needs-court-decision');
      expect(Array.isArray(result) ? '' : result.message).toBe('compulsory rehab needs a court decision');
    });

    it('compulsory rehab needs a prior "addicted" determination', () => {
      const result = given(registered(f)).when(decide('COMPULSORY_FACILITY', 'COURT', 12));
      expect(errorCode(result)).toBe('compulsory-needs-addiction-determination');
    });

    it('voluntary rehab in the community is decided by the commune chair, not a court', () => {
      expect(errorCode(given(registered(f)).when(decide('VOLUNTARY_COMMUNITY', 'COMMUNE_CHAIR', 6)))).toBe('no error');
      expect(errorCode(given(registered(f)).when(decide('VOLUNTARY_COMMUNITY', 'COURT', 6)))).toBe('wrong-issuing-body');
    });

    it('accepts compulsory adult terms only within the range for a first course', () => {
      const [min, max] = f.compulsoryAdultFirst;
      const given_ = given(registered(f), addicted(f));
      expect(errorCode(given_.when(decide('COMPULSORY_FACILITY', 'COURT', min)))).toBe('no error');
      expect(errorCode(given_.when(decide('COMPULSORY_FACILITY', 'COURT', max)))).toBe('no error');
      expect(errorCode(given_.when(decide('COMPULSORY_FACILITY', 'COURT', min - 1)))).toBe('term-out-of-range');
      expect(errorCode(given_.when(decide('COMPULSORY_FACILITY', 'COURT', max + 1)))).toBe('term-out-of-range');
      expect(errorCode(given_.when(decide('COMPULSORY_FACILITY', 'COURT', min + 0.5)))).toBe('term-out-of-range');
    });

    it('uses the later-course range when the person had earlier courses', () => {
      const [, max] = f.compulsoryAdultLater;
      const given_ = given(registered(f, 1), addicted(f));
      expect(errorCode(given_.when(decide('COMPULSORY_FACILITY', 'COURT', max)))).toBe('no error');
      expect(errorCode(given_.when(decide('COMPULSORY_FACILITY', 'COURT', max + 1)))).toBe('term-out-of-range');
    });

    it('uses the minors range for a minor', () => {
      const [min, max] = f.compulsoryMinor;
      const given_ = given(registered(f), addicted(f));
      expect(errorCode(given_.when(decide('COMPULSORY_FACILITY', 'COURT', min, 'MINOR')))).toBe('no error');
      expect(errorCode(given_.when(decide('COMPULSORY_FACILITY', 'COURT', max + 1, 'MINOR')))).toBe('term-out-of-range');
    });

    it('accepts voluntary terms only within the voluntary range', () => {
      const [min, max] = f.voluntaryAdultFirst;
      expect(errorCode(given(registered(f)).when(decide('VOLUNTARY_COMMUNITY', 'COMMUNE_CHAIR', max)))).toBe('no error');
      expect(errorCode(given(registered(f)).when(decide('VOLUNTARY_COMMUNITY', 'COMMUNE_CHAIR', min - 1)))).toBe('term-out-of-range');
      expect(errorCode(given(registered(f)).when(decide('VOLUNTARY_FACILITY', 'FACILITY_DIRECTOR', max + 1)))).toBe('term-out-of-range');
      const [, laterMax] = f.voluntaryAdultLater;
      expect(errorCode(given(registered(f, 2)).when(decide('VOLUNTARY_COMMUNITY', 'COMMUNE_CHAIR', laterMax)))).toBe('no error');
    });

    it('a form with a fixed term needs one; substitution therapy takes none', () => {
      expect(errorCode(given(registered(f)).when(decide('VOLUNTARY_COMMUNITY', 'COMMUNE_CHAIR', null)))).toBe('term-required');
      expect(errorCode(given(registered(f)).when(decide('SUBSTITUTION_THERAPY', 'TREATMENT_FACILITY', 12)))).toBe('term-not-applicable');
      expect(errorCode(given(registered(f)).when(decide('SUBSTITUTION_THERAPY', 'TREATMENT_FACILITY', null)))).toBe('no error');
    });

    it('the Cedemex pilot is refused outside its pilot period (2022), even at a pilot site', () => {
      const atPilotSite = {
        ...decide('CEDEMEX_PILOT', 'COMMUNE_CHAIR', 6),
        data: { ...decide('CEDEMEX_PILOT', 'COMMUNE_CHAIR', 6).data, cedemexPilotSite: true },
      };
      const expected = f.decisionDate < '2023-01-01' ? 'no error' : 'cedemex-outside-pilot';
      expect(errorCode(given(registered(f)).when(atPilotSite as Parameters<ReturnType<typeof given>['when']>[0]))).toBe(expected);
      expect(errorCode(given(registered(f)).when(decide('CEDEMEX_PILOT', 'COMMUNE_CHAIR', 6)))).toBe('cedemex-outside-pilot');
    });

    it('needs a decision number', () => {
      const result = given(registered(f)).when({
        type: 'DecideRehabForm',
        data: { form: 'VOLUNTARY_COMMUNITY', legalBasis: basis(f.decisionDate, 'COMMUNE_CHAIR', '  '), ageGroup: 'ADULT', termMonths: 6 },
      });
      expect(errorCode(result)).toBe('decision-number-missing');
    });

    it('cannot be decided twice', () => {
      expect(errorCode(given(registered(f), addicted(f), compulsoryDecided(f)).when(decide('COMPULSORY_FACILITY', 'COURT', 12)))).toBe('form-already-decided');
    });

    it('cannot be dated before the determination', () => {
      const result = given(registered(f), addicted(f)).when(decide('COMPULSORY_FACILITY', 'COURT', 12, 'ADULT', addDays(f.determinedOn, -1)));
      expect(errorCode(result)).toBe('date-before-previous-event');
    });
  });

  describe('start', () => {
    it('starts and computes the expected end from the decided term', () => {
      const result = given(registered(f), addicted(f), compulsoryDecided(f, 18)).when({ type: 'StartRehab', data: { startedOn: f.startedOn } });
      expect(result).toEqual([started(f, addMonths(f.startedOn, 18))]);
    });

    it('rehab cannot start before a form is decided', () => {
      const result = given(registered(f), addicted(f)).when({ type: 'StartRehab', data: { startedOn: f.startedOn } });
      expect(errorCode(result)).toBe('rehab-before-form-decided');
      if (!Array.isArray(result)) expect(result.message).toBe('rehab cannot start before a form is decided');
    });

    it('cannot start twice', () => {
      expect(errorCode(given(...inRehab).when({ type: 'StartRehab', data: { startedOn: f.startedOn } }))).toBe('rehab-already-started');
    });

    it('cannot start before the decision date', () => {
      const result = given(registered(f), addicted(f), compulsoryDecided(f)).when({
        type: 'StartRehab',
        data: { startedOn: addDays(f.decisionDate, -1) },
      });
      expect(errorCode(result)).toBe('date-before-previous-event');
    });
  });

  describe('progress notes', () => {
    const note = (notedOn: string) => ({ type: 'NoteProgress', data: { notedOn, note: 'attends group sessions' } }) as const;

    it('are recorded while rehab is in progress', () => {
      const notedOn = addDays(f.startedOn, 30);
      expect(given(...inRehab).when(note(notedOn))).toEqual([{ type: 'ProgressNoted', data: { notedOn, note: 'attends group sessions' } }]);
    });

    it('are refused after completion and after discontinuation', () => {
      expect(errorCode(given(...completed).when(note(addDays(completedOn, 1))))).toBe('progress-note-outside-rehab');
      const discontinued: RehabCaseEvent = { type: 'RehabDiscontinued', data: { discontinuedOn: addDays(f.startedOn, 10), reason: 'ABSCONDED' } };
      expect(errorCode(given(...inRehab, discontinued).when(note(addDays(f.startedOn, 11))))).toBe('progress-note-outside-rehab');
    });

    it('must not be empty', () => {
      expect(errorCode(given(...inRehab).when({ type: 'NoteProgress', data: { notedOn: f.startedOn, note: '  ' } }))).toBe('empty-progress-note');
    });
  });

  describe('term reduction', () => {
    const halfServed = addMonths(f.startedOn, 6);
    const proposal = (decisionDate: string) => ({ proposalNo: '12/TTr-CSCN', proposedOn: addDays(decisionDate, -7) });
    const reduce = (months: number, decisionDate: string, issuedBy: 'COURT' | 'COMMUNE_CHAIR' = 'COURT') =>
      ({ type: 'ReduceTerm', data: { months, legalBasis: basis(decisionDate, issuedBy, '21/QĐ-TA'), proposal: proposal(decisionDate) } }) as const;

    it('cuts 3–6 months once half the term is served and moves the expected end', () => {
      const result = given(...inRehab).when(reduce(3, halfServed));
      expect(result).toEqual([
        {
          type: 'TermReduced',
          data: { months: 3, legalBasis: basis(halfServed, 'COURT', '21/QĐ-TA'), newExpectedEndOn: addMonths(f.startedOn, 9), proposal: proposal(halfServed) },
        },
      ]);
      expect(errorCode(given(...inRehab).when(reduce(6, halfServed)))).toBe('no error');
    });

    it('is refused before half the term is served', () => {
      expect(errorCode(given(...inRehab).when(reduce(3, addDays(halfServed, -3))))).toBe('term-reduction-before-half-served');
    });

    it('is refused outside 3–6 months', () => {
      expect(errorCode(given(...inRehab).when(reduce(2, halfServed)))).toBe('term-reduction-out-of-range');
      expect(errorCode(given(...inRehab).when(reduce(7, halfServed)))).toBe('term-reduction-out-of-range');
    });

    it('cannot end the term before the reduction decision', () => {
      const sixMonths: RehabCaseEvent[] = [
        registered(f),
        {
          type: 'RehabFormDecided',
          data: {
            form: 'VOLUNTARY_COMMUNITY',
            legalBasis: basis(f.decisionDate, 'COMMUNE_CHAIR'),
            regime: f.regime,
            ageGroup: 'ADULT',
            termMonths: 6,
            facilityId: null,
          },
        },
        started(f, addMonths(f.startedOn, 6)),
      ];
      const decisionDate = addMonths(f.startedOn, 4);
      expect(errorCode(given(...sixMonths).when(reduce(3, decisionDate, 'COMMUNE_CHAIR')))).toBe('term-reduction-exceeds-remaining-term');
      expect(errorCode(given(...sixMonths).when(reduce(6, decisionDate, 'COMMUNE_CHAIR')))).toBe('term-reduction-exceeds-remaining-term');
      expect(errorCode(given(...sixMonths).when(reduce(3, addMonths(f.startedOn, 3), 'COMMUNE_CHAIR')))).toBe('no error');
    });

    it('is allowed once', () => {
      const reduced: RehabCaseEvent = {
        type: 'TermReduced',
        data: { months: 3, legalBasis: basis(halfServed, 'COURT'), newExpectedEndOn: addMonths(f.startedOn, 9) },
      };
      expect(errorCode(given(...inRehab, reduced).when(reduce(3, addDays(halfServed, 1))))).toBe('term-already-reduced');
    });

    it('is refused when rehab is not in progress', () => {
      expect(errorCode(given(...completed).when(reduce(3, addDays(completedOn, 1))))).toBe('term-reduction-outside-rehab');
    });

    it('does not apply to substitution therapy, which has no term', () => {
      const substitution: RehabCaseEvent[] = [
        registered(f),
        {
          type: 'RehabFormDecided',
          data: {
            form: 'SUBSTITUTION_THERAPY',
            legalBasis: basis(f.decisionDate, 'TREATMENT_FACILITY'),
            regime: f.regime,
            ageGroup: 'ADULT',
            termMonths: null,
            facilityId: null,
          },
        },
        started(f, null),
      ];
      expect(errorCode(given(...substitution).when(reduce(3, halfServed)))).toBe('term-reduction-not-allowed-for-form');
    });
  });

  describe('completion and discontinuation', () => {
    it('completes at the end of the term', () => {
      expect(given(...inRehab).when({ type: 'CompleteRehab', data: { completedOn: expectedEnd } })).toEqual([
        { type: 'RehabCompleted', data: { completedOn: expectedEnd } },
      ]);
    });

    it('cannot complete before the end of the (reduced) term', () => {
      expect(errorCode(given(...inRehab).when({ type: 'CompleteRehab', data: { completedOn: addDays(expectedEnd, -1) } }))).toBe('completion-before-term-end');
      const reduced: RehabCaseEvent = {
        type: 'TermReduced',
        data: { months: 3, legalBasis: basis(addMonths(f.startedOn, 6), 'COURT'), newExpectedEndOn: addMonths(f.startedOn, 9) },
      };
      expect(errorCode(given(...inRehab, reduced).when({ type: 'CompleteRehab', data: { completedOn: addMonths(f.startedOn, 9) } }))).toBe('no error');
    });

    it('cannot complete before rehab has started', () => {
      expect(errorCode(given(registered(f), addicted(f), compulsoryDecided(f)).when({ type: 'CompleteRehab', data: { completedOn: expectedEnd } }))).toBe(
        'completion-outside-rehab',
      );
    });

    it.each(['ABSCONDED', 'EXPELLED', 'DECEASED', 'TRANSFERRED'] as const)('discontinues when %s', (reason) => {
      const discontinuedOn = addDays(f.startedOn, 40);
      expect(given(...inRehab).when({ type: 'DiscontinueRehab', data: { discontinuedOn, reason } })).toEqual([
        { type: 'RehabDiscontinued', data: { discontinuedOn, reason } },
      ]);
    });

    it('cannot discontinue after completion', () => {
      expect(errorCode(given(...completed).when({ type: 'DiscontinueRehab', data: { discontinuedOn: addDays(completedOn, 1), reason: 'ABSCONDED' } }))).toBe(
        'discontinuation-outside-rehab',
      );
    });
  });

  describe('post-rehab management', () => {
    const start = (decisionDate: string, startedOn: string, termMonths = 12, issuedBy: 'COMMUNE_CHAIR' | 'COURT' = 'COMMUNE_CHAIR') =>
      ({ type: 'StartPostRehabManagement', data: { legalBasis: basis(decisionDate, issuedBy), startedOn, termMonths } }) as const;

    it('starts after completion, by commune decision, for one year', () => {
      const result = given(...completed).when(start(addDays(completedOn, 2), postRehabStart));
      expect(result).toEqual([postRehabEvent]);
    });

    it('cannot start before rehab is completed', () => {
      const result = given(...inRehab).when(start(addDays(f.startedOn, 2), addDays(f.startedOn, 3)));
      expect(errorCode(result)).toBe('post-rehab-before-completion');
      if (!Array.isArray(result)) expect(result.message).toBe('post-rehab management cannot start before rehab is completed');
      const discontinued: RehabCaseEvent = { type: 'RehabDiscontinued', data: { discontinuedOn: addDays(f.startedOn, 10), reason: 'EXPELLED' } };
      expect(errorCode(given(...inRehab, discontinued).when(start(addDays(f.startedOn, 12), addDays(f.startedOn, 12))))).toBe('post-rehab-before-completion');
    });

    it('refuses a term other than the regime allows, a start before its decision, or another issuer', () => {
      expect(errorCode(given(...completed).when(start(completedOn, postRehabStart, 6)))).toBe('post-rehab-term-out-of-range');
      expect(errorCode(given(...completed).when(start(addDays(postRehabStart, 1), postRehabStart)))).toBe('post-rehab-start-before-decision');
      expect(errorCode(given(...completed).when(start(completedOn, postRehabStart, 12, 'COURT')))).toBe('wrong-issuing-body');
    });

    it('cannot start twice', () => {
      expect(errorCode(given(...underPostRehab).when(start(postRehabStart, postRehabStart)))).toBe('post-rehab-already-started');
    });
  });

  describe('relapse', () => {
    it('during post-rehab management makes compulsory rehab the expected next form', () => {
      const detectedOn = addMonths(postRehabStart, 3);
      const events = given(...underPostRehab).when({ type: 'RecordRelapse', data: { detectedOn } });
      expect(events).toEqual([{ type: 'RelapseRecorded', data: { detectedOn, duringPostRehabManagement: true, expectedNextForm: 'COMPULSORY_FACILITY' } }]);
      const state = replay([...underPostRehab, ...(events as RehabCaseEvent[])]);
      expect(state.status).toBe('RELAPSED');
      expect(state.expectedNextForm).toBe('COMPULSORY_FACILITY');
    });

    it('after completion but outside post-rehab management sets no expected form', () => {
      const detectedOn = addDays(completedOn, 3);
      expect(given(...completed).when({ type: 'RecordRelapse', data: { detectedOn } })).toEqual([
        { type: 'RelapseRecorded', data: { detectedOn, duringPostRehabManagement: false, expectedNextForm: null } },
      ]);
      const afterManagement = addMonths(postRehabStart, 13);
      expect(given(...underPostRehab).when({ type: 'RecordRelapse', data: { detectedOn: afterManagement } })).toEqual([
        { type: 'RelapseRecorded', data: { detectedOn: afterManagement, duringPostRehabManagement: false, expectedNextForm: null } },
      ]);
    });

    it('cannot be recorded before completion', () => {
      expect(errorCode(given(...inRehab).when({ type: 'RecordRelapse', data: { detectedOn: addDays(f.startedOn, 5) } }))).toBe('relapse-before-completion');
    });
  });

  describe('closing', () => {
    const close = (closedOn: string) => ({ type: 'CloseRehabCase', data: { closedOn } }) as const;

    it('closes once post-rehab management is over', () => {
      const endsOn = addMonths(postRehabStart, 12);
      expect(given(...underPostRehab).when(close(endsOn))).toEqual([{ type: 'RehabCaseClosed', data: { closedOn: endsOn } }]);
      expect(errorCode(given(...underPostRehab).when(close(addDays(endsOn, -1))))).toBe('close-before-post-rehab-end');
    });

    it('closes a discontinued case', () => {
      const discontinued: RehabCaseEvent = { type: 'RehabDiscontinued', data: { discontinuedOn: addDays(f.startedOn, 10), reason: 'DECEASED' } };
      expect(errorCode(given(...inRehab, discontinued).when(close(addDays(f.startedOn, 10))))).toBe('no error');
    });

    it('refuses to close a case that has not ended', () => {
      expect(errorCode(given(registered(f)).when(close(f.registeredOn)))).toBe('close-from-non-final-state');
      expect(errorCode(given(...inRehab).when(close(addDays(f.startedOn, 1))))).toBe('close-from-non-final-state');
      expect(errorCode(given(...completed).when(close(completedOn)))).toBe('close-from-non-final-state');
    });

    it('a closed case accepts nothing more', () => {
      const discontinued: RehabCaseEvent = { type: 'RehabDiscontinued', data: { discontinuedOn: addDays(f.startedOn, 10), reason: 'TRANSFERRED' } };
      const closed: RehabCaseEvent = { type: 'RehabCaseClosed', data: { closedOn: addDays(f.startedOn, 11) } };
      expect(errorCode(given(...inRehab, discontinued, closed).when(close(addDays(f.startedOn, 12))))).toBe('case-closed');
    });
  });
});

describe('regime boundary', () => {
  const decideOn = (decisionDate: string, termMonths: number) =>
    given(registered({ ...LAW_73_FIXTURE, registeredOn: '2026-06-01' }, 1), {
      type: 'AddictionDetermined',
      data: { determinedOn: '2026-06-02', facilityId: 'f', result: 'ADDICTED' },
    }).when({
      type: 'DecideRehabForm',
      data: { form: 'COMPULSORY_FACILITY', legalBasis: basis(decisionDate, 'COURT'), ageGroup: 'ADULT', termMonths },
    });

  it('a decision on 2026-06-30 follows Law 73/2021 (30 months refused), one on 2026-07-01 follows Law 120/2025 (accepted)', () => {
    expect(errorCode(decideOn('2026-06-30', 30))).toBe('term-out-of-range');
    const result = decideOn('2026-07-01', 30);
    expect(Array.isArray(result) && result[0]?.type === 'RehabFormDecided' ? result[0].data.regime : result).toBe('LAW_120_2025_QH15');
  });

  it('a decision before any regime in the table is refused', () => {
    const result = given(registered({ ...LAW_73_FIXTURE, registeredOn: '2021-10-01' })).when({
      type: 'DecideRehabForm',
      data: { form: 'VOLUNTARY_COMMUNITY', legalBasis: basis('2021-12-31', 'COMMUNE_CHAIR'), ageGroup: 'ADULT', termMonths: 6 },
    });
    expect(errorCode(result)).toBe('no-legal-regime');
  });

  it('a course decided under Law 73/2021 keeps its rules after 2026-07-01 (term reduction)', () => {
    const f = { ...LAW_73_FIXTURE, registeredOn: '2026-01-05', determinedOn: '2026-01-06', decisionDate: '2026-01-10', startedOn: '2026-01-15' };
    const events = [registered(f), addicted(f), compulsoryDecided(f, 12), started(f, addMonths(f.startedOn, 12))];
    const state = replay(events);
    expect(state.regime).toBe('LAW_73_2021_QH14');
    const proposal = { proposalNo: '31/TTr-CSCN', proposedOn: '2026-07-10' };
    expect(errorCode(given(...events).when({ type: 'ReduceTerm', data: { months: 3, legalBasis: basis('2026-07-20', 'COURT'), proposal } }))).toBe('no error');
  });
});

describe('evolve', () => {
  it('starts from an empty state', () => {
    expect(initialState().status).toBe('NONE');
    expect(evolve(initialState(), registered(LAW_73_FIXTURE)).status).toBe('REGISTERED');
  });
});

function postRehabRegime(decisionDate: string) {
  return decisionDate < '2026-07-01' ? 'LAW_73_2021_QH14' : 'LAW_120_2025_QH15';
}
