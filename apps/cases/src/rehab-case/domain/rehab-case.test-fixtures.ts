import type { RehabCaseCommand } from './rehab-case.commands';
import { decide, type DecideResult, replay } from './rehab-case.decider';
import type { RehabCaseErrorCode } from './rehab-case.errors';
import type { LegalBasis, RehabCaseEvent } from './rehab-case.events';
import type { LegalRegimeId } from './legal-regimes';

/** Test helpers shared by the decider specs (not exported from the domain index). */

/** Far enough ahead that every fixture date is in the past. */
export const LATER = new Date('2031-01-01T00:00:00Z');

export interface RegimeFixture {
  readonly label: string;
  readonly regime: LegalRegimeId;
  readonly registeredOn: string;
  readonly determinedOn: string;
  readonly decisionDate: string;
  readonly startedOn: string;
  /** Expected allowed ranges, written out by hand so a wrong table value fails a test. */
  readonly voluntaryAdultFirst: readonly [number, number];
  readonly voluntaryAdultLater: readonly [number, number];
  readonly compulsoryAdultFirst: readonly [number, number];
  readonly compulsoryAdultLater: readonly [number, number];
  readonly compulsoryMinor: readonly [number, number];
}

export const LAW_73_FIXTURE: RegimeFixture = {
  label: 'Law 73/2021/QH14 (decision in 2022)',
  regime: 'LAW_73_2021_QH14',
  registeredOn: '2022-03-01',
  determinedOn: '2022-03-05',
  decisionDate: '2022-03-10',
  startedOn: '2022-03-15',
  voluntaryAdultFirst: [6, 12],
  voluntaryAdultLater: [6, 12],
  compulsoryAdultFirst: [12, 24],
  compulsoryAdultLater: [12, 24],
  compulsoryMinor: [6, 12],
};

export const LAW_120_FIXTURE: RegimeFixture = {
  label: 'Law 120/2025/QH15 (decision in 2026-08)',
  regime: 'LAW_120_2025_QH15',
  registeredOn: '2026-08-01',
  determinedOn: '2026-08-05',
  decisionDate: '2026-08-10',
  startedOn: '2026-08-15',
  voluntaryAdultFirst: [6, 24],
  voluntaryAdultLater: [6, 36],
  compulsoryAdultFirst: [12, 24],
  compulsoryAdultLater: [12, 36],
  compulsoryMinor: [6, 12],
};

export function basis(decisionDate: string, issuedBy: LegalBasis['issuedBy'], decisionNo = '15/QĐ-UBND'): LegalBasis {
  return { decisionNo, decisionDate, issuedBy };
}

export function registered(f: RegimeFixture, priorCourses = 0): RehabCaseEvent {
  return {
    type: 'RehabCaseRegistered',
    data: { caseId: 'case-1', personId: 'person-1', source: 'POLICE_DETECTION', registeredOn: f.registeredOn, priorCourses },
  };
}

export function addicted(f: RegimeFixture): RehabCaseEvent {
  return { type: 'AddictionDetermined', data: { determinedOn: f.determinedOn, facilityId: 'facility-1', result: 'ADDICTED' } };
}

export function compulsoryDecided(f: RegimeFixture, termMonths = 12): RehabCaseEvent {
  return {
    type: 'RehabFormDecided',
    data: {
      form: 'COMPULSORY_FACILITY',
      legalBasis: basis(f.decisionDate, 'COURT', '07/QĐ-TA'),
      regime: f.regime,
      ageGroup: 'ADULT',
      termMonths,
      facilityId: 'facility-1',
    },
  };
}

export function started(f: RegimeFixture, expectedEndOn: string | null): RehabCaseEvent {
  return { type: 'RehabStarted', data: { startedOn: f.startedOn, expectedEndOn } };
}

export function given(...events: RehabCaseEvent[]) {
  return {
    when: (command: RehabCaseCommand, now: Date = LATER): DecideResult => decide(command, replay(events), now),
  };
}

export function errorCode(result: DecideResult): RehabCaseErrorCode | 'no error' {
  return Array.isArray(result) ? 'no error' : result.code;
}
