import type { Decider } from '@haidang/decider';
import { type AgeGroup, type LegalRegime, type LegalRegimeId, type RehabForm, regimeById, regimeFor, termRangeFor } from './legal-regimes';
import { withinCedemexPilotPeriod } from './cedemex-pilot';
import { addMonths, daysBetween, isLocalDate, type LocalDate, vietnamDateOf } from './local-date';
import type {
  CloseRehabCase,
  CompleteRehab,
  DecideRehabForm,
  DetermineAddiction,
  DiscontinueRehab,
  NoteProgress,
  RecordFacilityAdmission,
  RecordRelapse,
  ReduceTerm,
  RegisterRehabCase,
  RehabCaseCommand,
  StartPostRehabManagement,
  StartRehab,
} from './rehab-case.commands';
import { type DomainError, domainError } from './rehab-case.errors';
import type { AddictionResult, DiscontinuationReason, LegalBasis, RehabCaseEvent } from './rehab-case.events';

export type RehabCaseStatus =
  | 'NONE'
  | 'REGISTERED'
  | 'ADDICTION_DETERMINED'
  | 'NOT_ADDICTED'
  | 'FORM_DECIDED'
  | 'IN_REHAB'
  | 'COMPLETED'
  | 'DISCONTINUED'
  | 'POST_REHAB_MANAGEMENT'
  | 'RELAPSED'
  | 'CLOSED';

/**
 * The lifecycle graph. decide() enforces it rule by rule with named errors; the table is the
 * reference the property test checks every transition against.
 */
export const REHAB_CASE_TRANSITIONS: Readonly<Record<RehabCaseStatus, readonly RehabCaseStatus[]>> = {
  NONE: ['REGISTERED'],
  // A facility admission (from a referral) keeps the status: REGISTERED → REGISTERED and so on.
  REGISTERED: ['REGISTERED', 'ADDICTION_DETERMINED', 'NOT_ADDICTED', 'FORM_DECIDED'],
  ADDICTION_DETERMINED: ['ADDICTION_DETERMINED', 'FORM_DECIDED'],
  // A voluntary form can be decided before the determination; an "addicted" result keeps the status.
  FORM_DECIDED: ['FORM_DECIDED', 'NOT_ADDICTED', 'IN_REHAB'],
  IN_REHAB: ['IN_REHAB', 'COMPLETED', 'DISCONTINUED'],
  COMPLETED: ['POST_REHAB_MANAGEMENT', 'RELAPSED'],
  POST_REHAB_MANAGEMENT: ['RELAPSED', 'CLOSED'],
  NOT_ADDICTED: ['CLOSED'],
  DISCONTINUED: ['CLOSED'],
  RELAPSED: ['CLOSED'],
  CLOSED: [],
};

/** A case in one of these has ended its course: nothing about an admission can be added. */
const ENDED_STATUSES: readonly RehabCaseStatus[] = ['COMPLETED', 'DISCONTINUED', 'POST_REHAB_MANAGEMENT', 'RELAPSED', 'NOT_ADDICTED', 'CLOSED'];

export interface RehabCaseState {
  readonly status: RehabCaseStatus;
  readonly caseId: string | null;
  readonly personId: string | null;
  readonly priorCourses: number;
  readonly addiction: AddictionResult | null;
  readonly form: RehabForm | null;
  readonly formDecision: LegalBasis | null;
  readonly regime: LegalRegimeId | null;
  readonly ageGroup: AgeGroup | null;
  /** The term as decided; reductions are kept apart so the decided term stays checkable. */
  readonly termMonths: number | null;
  readonly reducedMonths: number;
  readonly reductions: number;
  readonly startedOn: LocalDate | null;
  readonly expectedEndOn: LocalDate | null;
  readonly completedOn: LocalDate | null;
  readonly discontinuationReason: DiscontinuationReason | null;
  readonly postRehab: {
    readonly regime: LegalRegimeId;
    readonly startedOn: LocalDate;
    readonly termMonths: number;
    readonly endsOn: LocalDate;
  } | null;
  readonly relapse: { readonly detectedOn: LocalDate; readonly duringPostRehabManagement: boolean } | null;
  /** Referrals on which a facility accepted the person, in order; one admission per referral. */
  readonly admissions: readonly { readonly referralId: string; readonly facilityAgency: string; readonly acceptedOn: LocalDate }[];
  /** Set by a relapse during post-rehab management: the form the next course is expected to take. */
  readonly expectedNextForm: RehabForm | null;
  /**
   * What the law expects next when the case cannot go on as rehab: a "not addicted" determination
   * leads to management of the illegal drug user (its own measure, drug-user-management/).
   */
  readonly nextStep: 'DRUG_USER_MANAGEMENT' | null;
  /** The management that took over a "not addicted" case, named at its closure. */
  readonly drugUserManagementId: string | null;
  /** The latest date recorded on the case; no later command may carry an earlier date. */
  readonly lastEventOn: LocalDate | null;
  readonly closedOn: LocalDate | null;
}

export function initialState(): RehabCaseState {
  return {
    status: 'NONE',
    caseId: null,
    personId: null,
    priorCourses: 0,
    addiction: null,
    form: null,
    formDecision: null,
    regime: null,
    ageGroup: null,
    termMonths: null,
    reducedMonths: 0,
    reductions: 0,
    startedOn: null,
    expectedEndOn: null,
    completedOn: null,
    discontinuationReason: null,
    postRehab: null,
    relapse: null,
    admissions: [],
    expectedNextForm: null,
    nextStep: null,
    drugUserManagementId: null,
    lastEventOn: null,
    closedOn: null,
  };
}

export type DecideResult = RehabCaseEvent[] | DomainError;

/** `now` is the instant the command is handled; only today's date in Vietnam is read from it. */
export function decide(command: RehabCaseCommand, state: RehabCaseState, now: Date): DecideResult {
  if (command.type === 'RegisterRehabCase') return register(command, state, now);
  // A redelivered admission changes nothing, whatever has happened to the case since.
  if (command.type === 'RecordFacilityAdmission' && state.admissions.some((a) => a.referralId === command.data.referralId)) return [];
  if (state.status === 'NONE') return domainError('case-not-registered');
  if (state.status === 'CLOSED') return domainError('case-closed');

  switch (command.type) {
    case 'DetermineAddiction':
      return determineAddiction(command, state, now);
    case 'DecideRehabForm':
      return decideForm(command, state, now);
    case 'StartRehab':
      return startRehab(command, state, now);
    case 'NoteProgress':
      return noteProgress(command, state, now);
    case 'ReduceTerm':
      return reduceTerm(command, state, now);
    case 'CompleteRehab':
      return complete(command, state, now);
    case 'DiscontinueRehab':
      return discontinue(command, state, now);
    case 'StartPostRehabManagement':
      return startPostRehab(command, state, now);
    case 'RecordRelapse':
      return recordRelapse(command, state, now);
    case 'RecordFacilityAdmission':
      return recordAdmission(command, state, now);
    case 'CloseRehabCase':
      return close(command, state, now);
    default:
      return assertNever(command);
  }
}

export function evolve(state: RehabCaseState, event: RehabCaseEvent): RehabCaseState {
  switch (event.type) {
    case 'RehabCaseRegistered':
      return {
        ...state,
        status: 'REGISTERED',
        caseId: event.data.caseId,
        personId: event.data.personId,
        priorCourses: event.data.priorCourses,
        lastEventOn: event.data.registeredOn,
      };
    case 'AddictionDetermined': {
      const addicted = event.data.result === 'ADDICTED';
      const status: RehabCaseStatus = !addicted ? 'NOT_ADDICTED' : state.status === 'REGISTERED' ? 'ADDICTION_DETERMINED' : state.status;
      return { ...state, status, addiction: event.data.result, nextStep: addicted ? null : 'DRUG_USER_MANAGEMENT', lastEventOn: event.data.determinedOn };
    }
    case 'RehabFormDecided':
      return {
        ...state,
        status: 'FORM_DECIDED',
        form: event.data.form,
        formDecision: event.data.legalBasis,
        regime: event.data.regime,
        ageGroup: event.data.ageGroup,
        termMonths: event.data.termMonths,
        lastEventOn: event.data.legalBasis.decisionDate,
      };
    case 'RehabStarted':
      return {
        ...state,
        status: 'IN_REHAB',
        startedOn: event.data.startedOn,
        expectedEndOn: event.data.expectedEndOn,
        lastEventOn: event.data.startedOn,
      };
    case 'ProgressNoted':
      return { ...state, lastEventOn: event.data.notedOn };
    case 'TermReduced':
      return {
        ...state,
        reducedMonths: state.reducedMonths + event.data.months,
        reductions: state.reductions + 1,
        expectedEndOn: event.data.newExpectedEndOn,
        lastEventOn: event.data.legalBasis.decisionDate,
      };
    case 'RehabCompleted':
      return { ...state, status: 'COMPLETED', completedOn: event.data.completedOn, lastEventOn: event.data.completedOn };
    case 'RehabDiscontinued':
      return {
        ...state,
        status: 'DISCONTINUED',
        discontinuationReason: event.data.reason,
        lastEventOn: event.data.discontinuedOn,
      };
    case 'PostRehabManagementStarted':
      return {
        ...state,
        status: 'POST_REHAB_MANAGEMENT',
        postRehab: {
          regime: event.data.regime,
          startedOn: event.data.startedOn,
          termMonths: event.data.termMonths,
          endsOn: event.data.endsOn,
        },
        lastEventOn: event.data.startedOn,
      };
    case 'RelapseRecorded':
      return {
        ...state,
        status: 'RELAPSED',
        relapse: { detectedOn: event.data.detectedOn, duringPostRehabManagement: event.data.duringPostRehabManagement },
        expectedNextForm: event.data.expectedNextForm,
        lastEventOn: event.data.detectedOn,
      };
    case 'FacilityAdmissionRecorded':
      // Dated by the referrals service, not by this case's officers: it neither moves the case's
      // dates on (a decision dated before the acceptance may still be entered) nor back.
      return { ...state, admissions: [...state.admissions, { ...event.data }] };
    case 'RehabCaseClosed':
      return {
        ...state,
        status: 'CLOSED',
        closedOn: event.data.closedOn,
        drugUserManagementId: event.data.drugUserManagementId ?? null,
        nextStep: null,
        lastEventOn: event.data.closedOn,
      };
    default:
      return assertNever(event);
  }
}

/** Folds a stream into state. */
export function replay(events: readonly RehabCaseEvent[], from: RehabCaseState = initialState()): RehabCaseState {
  return events.reduce(evolve, from);
}

// --- command handlers -------------------------------------------------------------------------

function register(command: RegisterRehabCase, state: RehabCaseState, now: Date): DecideResult {
  if (state.status !== 'NONE') return domainError('case-already-registered');
  const { caseId, personId, source, registeredOn, priorCourses } = command.data;
  if (!caseId.trim() || !personId.trim()) return domainError('missing-reference');
  if (!Number.isInteger(priorCourses) || priorCourses < 0) return domainError('invalid-prior-courses');
  const dateError = checkDates(state, now, registeredOn);
  if (dateError) return dateError;
  return [{ type: 'RehabCaseRegistered', data: { caseId, personId, source, registeredOn, priorCourses } }];
}

function determineAddiction(command: DetermineAddiction, state: RehabCaseState, now: Date): DecideResult {
  if (state.addiction !== null) return domainError('addiction-already-determined');
  if (state.status !== 'REGISTERED' && state.status !== 'FORM_DECIDED') return domainError('addiction-determination-after-start');
  const { determinedOn, facilityId, result } = command.data;
  if (!facilityId.trim()) return domainError('missing-reference');
  const dateError = checkDates(state, now, determinedOn);
  if (dateError) return dateError;
  return [{ type: 'AddictionDetermined', data: { determinedOn, facilityId, result } }];
}

function decideForm(command: DecideRehabForm, state: RehabCaseState, now: Date): DecideResult {
  if (state.status === 'NOT_ADDICTED') return domainError('not-addicted');
  if (state.status !== 'REGISTERED' && state.status !== 'ADDICTION_DETERMINED') return domainError('form-already-decided');
  const { form, legalBasis, ageGroup, termMonths } = command.data;
  const basisError = checkLegalBasis(legalBasis, state, now);
  if (basisError) return basisError;
  const regime = regimeFor(legalBasis.decisionDate);
  if (!regime) return domainError('no-legal-regime');
  const rule = regime.forms[form];
  if (!rule) return domainError('form-not-allowed', `${form} under ${regime.name}`);
  if (form === 'COMPULSORY_FACILITY' && state.addiction !== 'ADDICTED') return domainError('compulsory-needs-addiction-determination');
  if (rule.ageGroups !== undefined && !rule.ageGroups.includes(ageGroup)) return domainError('compulsory-under-minimum-age');
  if (form === 'CEDEMEX_PILOT' && (!withinCedemexPilotPeriod(legalBasis.decisionDate) || command.data.cedemexPilotSite !== true)) {
    return domainError('cedemex-outside-pilot');
  }
  if (!rule.issuedBy.includes(legalBasis.issuedBy)) {
    if (rule.issuedBy.includes('COURT') && rule.issuedBy.length === 1) return domainError('compulsory-needs-court-decision');
    return domainError('wrong-issuing-body', `${form} under ${regime.name}: ${rule.issuedBy.join(' or ')}`);
  }
  const range = termRangeFor(rule, ageGroup, state.priorCourses);
  if (range === null) {
    if (termMonths !== null && termMonths !== undefined) return domainError('term-not-applicable');
  } else {
    if (termMonths === null || termMonths === undefined) return domainError('term-required');
    if (!Number.isInteger(termMonths) || termMonths < range.minMonths || termMonths > range.maxMonths) {
      return domainError('term-out-of-range', `${range.minMonths}–${range.maxMonths} months under ${regime.name}`);
    }
  }
  return [
    {
      type: 'RehabFormDecided',
      data: {
        form,
        legalBasis: { ...legalBasis },
        regime: regime.id,
        ageGroup,
        termMonths: range === null ? null : (termMonths as number),
        facilityId: command.data.facilityId ?? null,
      },
    },
  ];
}

function startRehab(command: StartRehab, state: RehabCaseState, now: Date): DecideResult {
  if (state.status === 'REGISTERED' || state.status === 'ADDICTION_DETERMINED' || state.status === 'NOT_ADDICTED') {
    return domainError('rehab-before-form-decided');
  }
  if (state.status !== 'FORM_DECIDED') return domainError('rehab-already-started');
  const { startedOn } = command.data;
  const dateError = checkDates(state, now, startedOn);
  if (dateError) return dateError;
  const expectedEndOn = state.termMonths === null ? null : addMonths(startedOn, state.termMonths);
  return [{ type: 'RehabStarted', data: { startedOn, expectedEndOn } }];
}

function noteProgress(command: NoteProgress, state: RehabCaseState, now: Date): DecideResult {
  if (state.status !== 'IN_REHAB') return domainError('progress-note-outside-rehab');
  const { notedOn, note } = command.data;
  if (!note.trim()) return domainError('empty-progress-note');
  const dateError = checkDates(state, now, notedOn);
  if (dateError) return dateError;
  return [{ type: 'ProgressNoted', data: { notedOn, note } }];
}

function reduceTerm(command: ReduceTerm, state: RehabCaseState, now: Date): DecideResult {
  if (state.status !== 'IN_REHAB') return domainError('term-reduction-outside-rehab');
  const regime = formRegime(state);
  const rule = regime.termReduction;
  const { months, legalBasis, proposal } = command.data;
  if (state.form === null || state.termMonths === null || !rule.forms.includes(state.form)) {
    return domainError('term-reduction-not-allowed-for-form');
  }
  if (state.reductions >= rule.maxReductions) return domainError('term-already-reduced');
  const basisError = checkLegalBasis(legalBasis, state, now);
  if (basisError) return basisError;
  if (!(rule.issuedBy[state.form] ?? []).includes(legalBasis.issuedBy)) return domainError('term-reduction-wrong-issuer');
  const onProposal = rule.onFacilityProposal.includes(state.form);
  if (onProposal) {
    if (!proposal || !proposal.proposalNo.trim()) return domainError('term-reduction-needs-proposal');
    if (!isLocalDate(proposal.proposedOn)) return domainError('invalid-date');
    if (proposal.proposedOn > legalBasis.decisionDate) return domainError('term-reduction-proposal-after-decision');
  }
  if (!Number.isInteger(months) || months < rule.minMonths || months > rule.maxMonths) {
    return domainError('term-reduction-out-of-range', `${rule.minMonths}–${rule.maxMonths} months under ${regime.name}`);
  }
  const startedOn = state.startedOn as LocalDate;
  const fullTermDays = daysBetween(startedOn, addMonths(startedOn, state.termMonths));
  const servedDays = daysBetween(startedOn, legalBasis.decisionDate);
  if (servedDays < fullTermDays * rule.afterShareServed) return domainError('term-reduction-before-half-served');
  const newExpectedEndOn = addMonths(startedOn, state.termMonths - state.reducedMonths - months);
  // A short voluntary term (6 months) cut by up to 6 months would end in the past: refuse rather
  // than record a term that ended before it was cut.
  if (newExpectedEndOn < legalBasis.decisionDate) return domainError('term-reduction-exceeds-remaining-term');
  const recordedProposal = onProposal && proposal ? { proposal: { proposalNo: proposal.proposalNo, proposedOn: proposal.proposedOn } } : {};
  return [{ type: 'TermReduced', data: { months, legalBasis: { ...legalBasis }, newExpectedEndOn, ...recordedProposal } }];
}

function complete(command: CompleteRehab, state: RehabCaseState, now: Date): DecideResult {
  if (state.status !== 'IN_REHAB') return domainError('completion-outside-rehab');
  const { completedOn } = command.data;
  const dateError = checkDates(state, now, completedOn);
  if (dateError) return dateError;
  if (state.expectedEndOn !== null && completedOn < state.expectedEndOn) return domainError('completion-before-term-end');
  return [{ type: 'RehabCompleted', data: { completedOn } }];
}

function discontinue(command: DiscontinueRehab, state: RehabCaseState, now: Date): DecideResult {
  if (state.status !== 'IN_REHAB') return domainError('discontinuation-outside-rehab');
  const { discontinuedOn, reason } = command.data;
  const dateError = checkDates(state, now, discontinuedOn);
  if (dateError) return dateError;
  return [{ type: 'RehabDiscontinued', data: { discontinuedOn, reason } }];
}

function startPostRehab(command: StartPostRehabManagement, state: RehabCaseState, now: Date): DecideResult {
  if (state.postRehab !== null) return domainError('post-rehab-already-started');
  if (state.status !== 'COMPLETED') return domainError('post-rehab-before-completion');
  const { legalBasis, startedOn, termMonths } = command.data;
  const basisError = checkLegalBasis(legalBasis, state, now);
  if (basisError) return basisError;
  const dateError = checkDates(state, now, startedOn);
  if (dateError) return dateError;
  if (startedOn < legalBasis.decisionDate) return domainError('post-rehab-start-before-decision');
  // Post-rehab management is a decision of its own: its date picks the regime.
  const regime = regimeFor(legalBasis.decisionDate);
  if (!regime) return domainError('no-legal-regime');
  const rule = regime.postRehabManagement;
  if (!rule.issuedBy.includes(legalBasis.issuedBy)) {
    return domainError('wrong-issuing-body', `post-rehab management under ${regime.name}: ${rule.issuedBy.join(' or ')}`);
  }
  if (!Number.isInteger(termMonths) || termMonths < rule.term.minMonths || termMonths > rule.term.maxMonths) {
    return domainError('post-rehab-term-out-of-range', `${rule.term.minMonths}–${rule.term.maxMonths} months under ${regime.name}`);
  }
  return [
    {
      type: 'PostRehabManagementStarted',
      data: { legalBasis: { ...legalBasis }, regime: regime.id, startedOn, termMonths, endsOn: addMonths(startedOn, termMonths) },
    },
  ];
}

function recordRelapse(command: RecordRelapse, state: RehabCaseState, now: Date): DecideResult {
  if (state.status === 'RELAPSED') return domainError('relapse-already-recorded');
  if (state.status !== 'COMPLETED' && state.status !== 'POST_REHAB_MANAGEMENT') return domainError('relapse-before-completion');
  const { detectedOn } = command.data;
  const dateError = checkDates(state, now, detectedOn);
  if (dateError) return dateError;
  const postRehab = state.postRehab;
  const during = postRehab !== null && detectedOn < postRehab.endsOn;
  const expectedNextForm = during ? regimeById(postRehab.regime).postRehabManagement.relapseDuringManagementLeadsTo : null;
  return [{ type: 'RelapseRecorded', data: { detectedOn, duringPostRehabManagement: during, expectedNextForm } }];
}

/**
 * Idempotent: a referral already recorded yields nothing (the integration event may be delivered
 * again). A fact reported by another service, possibly late (a broker outage, a backlog): recorded
 * whatever the case's step, even after rehab started there, until the case has ended. The
 * acceptance date is not held to the order of this case's dates, only to be real and not future.
 */
function recordAdmission(command: RecordFacilityAdmission, state: RehabCaseState, now: Date): DecideResult {
  const { referralId, facilityAgency, acceptedOn } = command.data;
  if (state.admissions.some((a) => a.referralId === referralId)) return [];
  if (!referralId.trim() || !facilityAgency.trim()) return domainError('missing-reference');
  if (ENDED_STATUSES.includes(state.status)) return domainError('admission-after-end');
  if (!isLocalDate(acceptedOn)) return domainError('invalid-date');
  if (acceptedOn > vietnamDateOf(now)) return domainError('date-in-future');
  return [{ type: 'FacilityAdmissionRecorded', data: { referralId, facilityAgency, acceptedOn } }];
}

function close(command: CloseRehabCase, state: RehabCaseState, now: Date): DecideResult {
  const { closedOn, drugUserManagementId } = command.data;
  const ended = state.status === 'NOT_ADDICTED' || state.status === 'DISCONTINUED' || state.status === 'RELAPSED';
  if (!ended && state.status !== 'POST_REHAB_MANAGEMENT') return domainError('close-from-non-final-state');
  const dateError = checkDates(state, now, closedOn);
  if (dateError) return dateError;
  if (state.status === 'POST_REHAB_MANAGEMENT' && state.postRehab && closedOn < state.postRehab.endsOn) {
    return domainError('close-before-post-rehab-end');
  }
  if (state.status === 'NOT_ADDICTED') {
    if (!drugUserManagementId?.trim()) return domainError('not-addicted-needs-management');
    return [{ type: 'RehabCaseClosed', data: { closedOn, drugUserManagementId } }];
  }
  return [{ type: 'RehabCaseClosed', data: { closedOn } }];
}

// --- helpers ----------------------------------------------------------------------------------

function checkDates(state: RehabCaseState, now: Date, ...dates: LocalDate[]): DomainError | null {
  const today = vietnamDateOf(now);
  for (const date of dates) {
    if (!isLocalDate(date)) return domainError('invalid-date');
    if (date > today) return domainError('date-in-future');
    if (state.lastEventOn !== null && date < state.lastEventOn) return domainError('date-before-previous-event');
  }
  return null;
}

function checkLegalBasis(legalBasis: LegalBasis, state: RehabCaseState, now: Date): DomainError | null {
  if (!legalBasis.decisionNo.trim()) return domainError('decision-number-missing');
  return checkDates(state, now, legalBasis.decisionDate);
}

/** The regime recorded when the form was decided: later decisions on that course follow it. */
function formRegime(state: RehabCaseState): LegalRegime {
  // Only called from IN_REHAB, which is reachable only through RehabFormDecided.
  return regimeById(state.regime as LegalRegimeId);
}

function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

/** The rehab case as the one decider shape the service kit runs. */
export const rehabCaseDecider: Decider<RehabCaseCommand, RehabCaseEvent, RehabCaseState> = { initialState, decide, evolve };
