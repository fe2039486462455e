import { DEADLINE_RULES } from '../../deadlines/domain/deadline-rules.data';
import { ageGroupOn } from './age-group';
import { CEDEMEX_PILOT, withinCedemexPilotPeriod } from './cedemex-pilot';
import { LEGAL_REGIMES } from './legal-regimes';
import { addDays, addMonths } from './local-date';
import type { RehabCaseCommand } from './rehab-case.commands';
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

/** Issue 11, point 2: the holes the law review found, under both legal regimes. */
describe.each([LAW_73_FIXTURE, LAW_120_FIXTURE])('legal holes under $label', (f: RegimeFixture) => {
  describe('term reduction of a compulsory course: the court decides, on the facility’s proposal', () => {
    const inRehab: RehabCaseEvent[] = [registered(f), addicted(f), compulsoryDecided(f, 12), started(f, addMonths(f.startedOn, 12))];
    const halfServed = addMonths(f.startedOn, 6);
    const reduce = (
      issuedBy: 'COURT' | 'FACILITY_DIRECTOR' | 'COMMUNE_CHAIR',
      proposal: { proposalNo: string; proposedOn: string } | null,
    ): RehabCaseCommand => ({
      type: 'ReduceTerm',
      data: { months: 3, legalBasis: basis(halfServed, issuedBy, '40/QĐ-TA'), proposal },
    });
    const facilityProposal = { proposalNo: '12/TTr-CSCN', proposedOn: addDays(halfServed, -5) };

    it('refuses a facility director shortening a court-ordered term', () => {
      expect(errorCode(given(...inRehab).when(reduce('FACILITY_DIRECTOR', facilityProposal)))).toBe('term-reduction-wrong-issuer');
      expect(errorCode(given(...inRehab).when(reduce('COMMUNE_CHAIR', facilityProposal)))).toBe('term-reduction-wrong-issuer');
    });

    it('refuses a court reduction without the facility’s proposal, or with a proposal dated after it', () => {
      expect(errorCode(given(...inRehab).when(reduce('COURT', null)))).toBe('term-reduction-needs-proposal');
      expect(errorCode(given(...inRehab).when(reduce('COURT', { proposalNo: ' ', proposedOn: halfServed })))).toBe('term-reduction-needs-proposal');
      expect(errorCode(given(...inRehab).when(reduce('COURT', { ...facilityProposal, proposedOn: addDays(halfServed, 1) })))).toBe(
        'term-reduction-proposal-after-decision',
      );
    });

    it('records the court’s reduction with the proposal it rests on', () => {
      const result = given(...inRehab).when(reduce('COURT', facilityProposal));
      expect(result).toEqual([expect.objectContaining({ type: 'TermReduced', data: expect.objectContaining({ proposal: facilityProposal }) })]);
    });

    it('a voluntary term is cut by whoever set it, not by the court', () => {
      const community: RehabCaseEvent[] = [
        registered(f),
        {
          type: 'RehabFormDecided',
          data: {
            form: 'VOLUNTARY_COMMUNITY',
            legalBasis: basis(f.decisionDate, 'COMMUNE_CHAIR'),
            regime: f.regime,
            ageGroup: 'ADULT',
            termMonths: 12,
            facilityId: null,
          },
        },
        started(f, addMonths(f.startedOn, 12)),
      ];
      expect(errorCode(given(...community).when(reduce('COMMUNE_CHAIR', null)))).toBe('no error');
      expect(errorCode(given(...community).when(reduce('COURT', facilityProposal)))).toBe('term-reduction-wrong-issuer');
    });
  });

  describe('compulsory rehab only from full 12 years of age', () => {
    const decideCompulsory = (ageGroup: 'CHILD' | 'MINOR' | 'ADULT'): RehabCaseCommand => ({
      type: 'DecideRehabForm',
      data: { form: 'COMPULSORY_FACILITY', legalBasis: basis(f.decisionDate, 'COURT', '07/QĐ-TA'), ageGroup, termMonths: 6 },
    });

    it('refuses a child under 12 in plain words, accepts a minor of 12–17', () => {
      const refused = given(registered(f), addicted(f)).when(decideCompulsory('CHILD'));
      expect(errorCode(refused)).toBe('compulsory-under-minimum-age');
      expect(Array.isArray(refused) ? '' : refused.message).toMatch(/under 12 years/);
      expect(errorCode(given(registered(f), addicted(f)).when(decideCompulsory('MINOR')))).toBe('no error');
    });

    it('the age group is counted on the decision date: 11 the day before the 12th birthday, 12 on it', () => {
      const dateOfBirth = addDays(f.decisionDate, 0).replace(/^\d{4}/, (y) => String(Number(y) - 12));
      expect(ageGroupOn(dateOfBirth, addDays(f.decisionDate, -1))).toBe('CHILD');
      expect(ageGroupOn(dateOfBirth, f.decisionDate)).toBe('MINOR');
    });

    it('a child under 12 may still take a voluntary course, on the minors’ terms', () => {
      const voluntary: RehabCaseCommand = {
        type: 'DecideRehabForm',
        data: { form: 'VOLUNTARY_COMMUNITY', legalBasis: basis(f.decisionDate, 'COMMUNE_CHAIR'), ageGroup: 'CHILD', termMonths: 6 },
      };
      expect(errorCode(given(registered(f)).when(voluntary))).toBe('no error');
    });
  });
});

describe('the Cedemex pilot: its localities and period only', () => {
  const decideCedemex = (decisionDate: string, cedemexPilotSite: boolean): RehabCaseCommand => ({
    type: 'DecideRehabForm',
    data: { form: 'CEDEMEX_PILOT', legalBasis: basis(decisionDate, 'COMMUNE_CHAIR'), ageGroup: 'ADULT', termMonths: 6, cedemexPilotSite },
  });
  const registeredOn = (date: string) => registered({ ...LAW_73_FIXTURE, registeredOn: date });

  it('accepts a decision at a pilot site from 2022-01-01 to 2022-12-31, refuses the day before and the day after', () => {
    expect(errorCode(given(registeredOn('2021-12-01')).when(decideCedemex('2021-12-31', true)))).not.toBe('no error');
    expect(errorCode(given(registeredOn('2021-12-01')).when(decideCedemex('2022-01-01', true)))).toBe('no error');
    expect(errorCode(given(registeredOn('2022-12-01')).when(decideCedemex('2022-12-31', true)))).toBe('no error');
    expect(errorCode(given(registeredOn('2022-12-01')).when(decideCedemex('2023-01-01', true)))).toBe('cedemex-outside-pilot');
  });

  it('refuses a commune outside the pilot localities', () => {
    expect(errorCode(given(registeredOn('2022-03-01')).when(decideCedemex('2022-03-10', false)))).toBe('cedemex-outside-pilot');
  });

  it('keeps the pilot as data with its source', () => {
    expect(CEDEMEX_PILOT.formerDistricts).toEqual(['Thành phố Cẩm Phả', 'Thành phố Móng Cái', 'Thành phố Uông Bí', 'Thị xã Quảng Yên']);
    expect(CEDEMEX_PILOT.source).toMatch(/146\/KH-UBND/);
    expect(withinCedemexPilotPeriod('2022-06-01')).toBe(true);
    expect(withinCedemexPilotPeriod('2023-06-01')).toBe(false);
  });
});

describe('source notes', () => {
  it('Law 120/2025 keeps its reading of the terms (24 months first course / 36 later, as maxima) with its source note', () => {
    const law120 = LEGAL_REGIMES.find((r) => r.id === 'LAW_120_2025_QH15');
    expect(law120?.forms.COMPULSORY_FACILITY?.source).toMatch(/24 months first course \/ 36 later/);
    expect(law120?.forms.COMPULSORY_FACILITY?.verify).toBe(true);
    for (const regime of LEGAL_REGIMES) {
      for (const value of [...Object.values(regime.forms), regime.termReduction, regime.postRehabManagement]) {
        if (value?.verify) expect(value.source.trim().length).toBeGreaterThan(10);
      }
    }
  });

  it('every deadline rule has a source; the 3-working-day form decision is marked verify', () => {
    for (const rule of DEADLINE_RULES) expect(rule.source.trim().length).toBeGreaterThan(0);
    const formDecision = DEADLINE_RULES.find((r) => r.name === 'decision-after-positive-determination');
    expect(formDecision?.verify).toBe(true);
  });
});

describe('a "not addicted" determination leads to management of the illegal drug user', () => {
  const f = LAW_120_FIXTURE;
  const notAddicted: RehabCaseEvent = {
    type: 'AddictionDetermined',
    data: { determinedOn: f.determinedOn, facilityId: 'f-1', result: 'ILLEGAL_USE_NOT_ADDICTION' },
  };

  it('names it as the next step and refuses a closure that does not name the management', () => {
    const events = [registered(f), notAddicted];
    expect(given(...events).when({ type: 'CloseRehabCase', data: { closedOn: f.decisionDate } })).toEqual(
      expect.objectContaining({ code: 'not-addicted-needs-management' }),
    );
    const closed = given(...events).when({ type: 'CloseRehabCase', data: { closedOn: f.decisionDate, drugUserManagementId: 'm-1' } });
    expect(closed).toEqual([{ type: 'RehabCaseClosed', data: { closedOn: f.decisionDate, drugUserManagementId: 'm-1' } }]);
  });

  it('other ended cases close as before, without a management', () => {
    const discontinued: RehabCaseEvent[] = [
      registered(f),
      addicted(f),
      compulsoryDecided(f, 12),
      started(f, addMonths(f.startedOn, 12)),
      { type: 'RehabDiscontinued', data: { discontinuedOn: addDays(f.startedOn, 10), reason: 'TRANSFERRED' } },
    ];
    expect(errorCode(given(...discontinued).when({ type: 'CloseRehabCase', data: { closedOn: addDays(f.startedOn, 11) } }))).toBe('no error');
  });
});
