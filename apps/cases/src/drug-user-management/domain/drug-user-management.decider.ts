import type { Decider } from '@haidang/decider';
import type { AgeGroup } from '../../rehab-case/domain/legal-regimes';
import { addMonths, isLocalDate, type LocalDate, vietnamDateOf } from '../../rehab-case/domain/local-date';
import type { LegalBasis } from '../../rehab-case/domain/rehab-case.events';
import { type DrugUserManagementError, drugUserManagementError } from './drug-user-management.errors';
import { drugUserManagementRuleFor, type DrugUserManagementRule, type EarlyTerminationReason } from './drug-user-management.rules';

/** The aggregate's name: streams are `DrugUserManagement-<uuid>`. */
export const DRUG_USER_MANAGEMENT_AGGREGATE = 'DrugUserManagement';

// --- commands ---------------------------------------------------------------------------------

export type DecideDrugUserManagement = {
  readonly type: 'DecideDrugUserManagement';
  readonly data: {
    readonly managementId: string;
    readonly personId: string;
    /** The rehab case whose determination found the person not addicted, when management follows one. */
    readonly rehabCaseId: string | null;
    readonly legalBasis: LegalBasis;
    /** The positive test (reported by the commune police) the decision rests on. */
    readonly positiveTestOn: LocalDate;
    readonly startsOn: LocalDate;
    /** Filled by the service from the date of birth on the decision date. */
    readonly ageGroup: AgeGroup;
  };
};

export type RecordDrugTest = {
  readonly type: 'RecordDrugTest';
  readonly data: { readonly testedOn: LocalDate; readonly positive: boolean };
};

export type EndDrugUserManagement = {
  readonly type: 'EndDrugUserManagement';
  readonly data: { readonly endedOn: LocalDate };
};

export type TerminateDrugUserManagementEarly = {
  readonly type: 'TerminateDrugUserManagementEarly';
  readonly data: { readonly terminatedOn: LocalDate; readonly reason: EarlyTerminationReason };
};

export type DrugUserManagementCommand = DecideDrugUserManagement | RecordDrugTest | EndDrugUserManagement | TerminateDrugUserManagementEarly;

// --- events -----------------------------------------------------------------------------------

export type DrugUserManagementDecided = {
  readonly type: 'DrugUserManagementDecided';
  readonly data: {
    readonly managementId: string;
    readonly personId: string;
    readonly rehabCaseId: string | null;
    readonly legalBasis: LegalBasis;
    readonly regime: DrugUserManagementRule['id'];
    readonly positiveTestOn: LocalDate;
    readonly startsOn: LocalDate;
    readonly termMonths: number;
    readonly endsOn: LocalDate;
  };
};

export type DrugTestRecorded = {
  readonly type: 'DrugTestRecorded';
  /** A positive test during management restarts the term: `endsOn` is then the new end. */
  readonly data: { readonly testedOn: LocalDate; readonly positive: boolean; readonly endsOn: LocalDate };
};

export type DrugUserManagementEnded = {
  readonly type: 'DrugUserManagementEnded';
  readonly data: { readonly endedOn: LocalDate };
};

export type DrugUserManagementTerminatedEarly = {
  readonly type: 'DrugUserManagementTerminatedEarly';
  readonly data: { readonly terminatedOn: LocalDate; readonly reason: EarlyTerminationReason };
};

export type DrugUserManagementEvent = DrugUserManagementDecided | DrugTestRecorded | DrugUserManagementEnded | DrugUserManagementTerminatedEarly;

export const DRUG_USER_MANAGEMENT_EVENT_SCHEMA_VERSIONS: Readonly<Record<DrugUserManagementEvent['type'], number>> = {
  DrugUserManagementDecided: 1,
  DrugTestRecorded: 1,
  DrugUserManagementEnded: 1,
  DrugUserManagementTerminatedEarly: 1,
};

// --- state ------------------------------------------------------------------------------------

export type DrugUserManagementStatus = 'NONE' | 'IN_PROGRESS' | 'ENDED' | 'TERMINATED_EARLY';

export interface DrugUserManagementState {
  readonly status: DrugUserManagementStatus;
  readonly managementId: string | null;
  readonly personId: string | null;
  readonly rehabCaseId: string | null;
  readonly legalBasis: LegalBasis | null;
  readonly regime: DrugUserManagementRule['id'] | null;
  readonly positiveTestOn: LocalDate | null;
  readonly startsOn: LocalDate | null;
  readonly endsOn: LocalDate | null;
  readonly tests: readonly { readonly testedOn: LocalDate; readonly positive: boolean }[];
  readonly endedOn: LocalDate | null;
  readonly terminationReason: EarlyTerminationReason | null;
  readonly lastEventOn: LocalDate | null;
}

export function initialDrugUserManagementState(): DrugUserManagementState {
  return {
    status: 'NONE',
    managementId: null,
    personId: null,
    rehabCaseId: null,
    legalBasis: null,
    regime: null,
    positiveTestOn: null,
    startsOn: null,
    endsOn: null,
    tests: [],
    endedOn: null,
    terminationReason: null,
    lastEventOn: null,
  };
}

type Result = DrugUserManagementEvent[] | DrugUserManagementError;

export function decideDrugUserManagement(command: DrugUserManagementCommand, state: DrugUserManagementState, now: Date): Result {
  if (command.type === 'DecideDrugUserManagement') return decideManagement(command, state, now);
  if (state.status === 'NONE') return drugUserManagementError('not-decided');
  if (state.status !== 'IN_PROGRESS') return drugUserManagementError('not-in-progress');
  switch (command.type) {
    case 'RecordDrugTest': {
      const { testedOn, positive } = command.data;
      const dateError = checkDates(state, now, testedOn);
      if (dateError) return dateError;
      const rule = ruleOf(state);
      const endsOn = positive && rule.positiveTestRestartsTerm ? addMonths(testedOn, rule.termMonths) : (state.endsOn as LocalDate);
      return [{ type: 'DrugTestRecorded', data: { testedOn, positive, endsOn } }];
    }
    case 'EndDrugUserManagement': {
      const { endedOn } = command.data;
      const dateError = checkDates(state, now, endedOn);
      if (dateError) return dateError;
      if (endedOn < (state.endsOn as LocalDate)) return drugUserManagementError('end-before-term');
      return [{ type: 'DrugUserManagementEnded', data: { endedOn } }];
    }
    case 'TerminateDrugUserManagementEarly': {
      const { terminatedOn, reason } = command.data;
      const dateError = checkDates(state, now, terminatedOn);
      if (dateError) return dateError;
      if (!ruleOf(state).earlyTerminationReasons.includes(reason)) return drugUserManagementError('reason-not-allowed');
      return [{ type: 'DrugUserManagementTerminatedEarly', data: { terminatedOn, reason } }];
    }
    default:
      return assertNever(command);
  }
}

function decideManagement(command: DecideDrugUserManagement, state: DrugUserManagementState, now: Date): Result {
  if (state.status !== 'NONE') return drugUserManagementError('already-decided');
  const { managementId, personId, rehabCaseId, legalBasis, positiveTestOn, startsOn, ageGroup } = command.data;
  if (!managementId.trim() || !personId.trim()) return drugUserManagementError('missing-reference');
  if (!legalBasis.decisionNo.trim()) return drugUserManagementError('decision-number-missing');
  const dateError = checkDates(state, now, positiveTestOn, legalBasis.decisionDate, startsOn);
  if (dateError) return dateError;
  const rule = drugUserManagementRuleFor(legalBasis.decisionDate);
  if (!rule) return drugUserManagementError('no-legal-regime');
  if (legalBasis.issuedBy !== 'COMMUNE_CHAIR') return drugUserManagementError('wrong-issuing-body');
  if (!rule.ageGroups.includes(ageGroup)) return drugUserManagementError('under-minimum-age');
  if (positiveTestOn > legalBasis.decisionDate) return drugUserManagementError('test-before-decision');
  if (startsOn < legalBasis.decisionDate) return drugUserManagementError('start-before-decision');
  return [
    {
      type: 'DrugUserManagementDecided',
      data: {
        managementId,
        personId,
        rehabCaseId,
        legalBasis: { ...legalBasis },
        regime: rule.id,
        positiveTestOn,
        startsOn,
        termMonths: rule.termMonths,
        endsOn: addMonths(startsOn, rule.termMonths),
      },
    },
  ];
}

export function evolveDrugUserManagement(state: DrugUserManagementState, event: DrugUserManagementEvent): DrugUserManagementState {
  switch (event.type) {
    case 'DrugUserManagementDecided':
      return {
        ...state,
        status: 'IN_PROGRESS',
        managementId: event.data.managementId,
        personId: event.data.personId,
        rehabCaseId: event.data.rehabCaseId,
        legalBasis: event.data.legalBasis,
        regime: event.data.regime,
        positiveTestOn: event.data.positiveTestOn,
        startsOn: event.data.startsOn,
        endsOn: event.data.endsOn,
        lastEventOn: event.data.startsOn,
      };
    case 'DrugTestRecorded':
      return {
        ...state,
        tests: [...state.tests, { testedOn: event.data.testedOn, positive: event.data.positive }],
        endsOn: event.data.endsOn,
        lastEventOn: event.data.testedOn,
      };
    case 'DrugUserManagementEnded':
      return { ...state, status: 'ENDED', endedOn: event.data.endedOn, lastEventOn: event.data.endedOn };
    case 'DrugUserManagementTerminatedEarly':
      return {
        ...state,
        status: 'TERMINATED_EARLY',
        endedOn: event.data.terminatedOn,
        terminationReason: event.data.reason,
        lastEventOn: event.data.terminatedOn,
      };
    default:
      return assertNever(event);
  }
}

function checkDates(state: DrugUserManagementState, now: Date, ...dates: LocalDate[]): DrugUserManagementError | null {
  const today = vietnamDateOf(now);
  for (const date of dates) {
    if (!isLocalDate(date)) return drugUserManagementError('invalid-date');
    if (date > today) return drugUserManagementError('date-in-future');
    if (state.lastEventOn !== null && date < state.lastEventOn) return drugUserManagementError('date-before-previous-event');
  }
  return null;
}

/** The rule of the decision's date: later steps of the same management follow it. */
function ruleOf(state: DrugUserManagementState): DrugUserManagementRule {
  // Only called once decided, and a decision is recorded only when a rule covers its date.
  return drugUserManagementRuleFor((state.legalBasis as LegalBasis).decisionDate) as DrugUserManagementRule;
}

function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

export const drugUserManagementDecider: Decider<DrugUserManagementCommand, DrugUserManagementEvent, DrugUserManagementState> = {
  initialState: initialDrugUserManagementState,
  decide: decideDrugUserManagement,
  evolve: evolveDrugUserManagement,
};
