import type { Decider } from '@haidang/decider';
import { isIsoDate, type IsoDate, maxDate, vietnamDateOf } from '@haidang/calendar';
import { isAgencyTypeValidOn } from '@haidang/request-context';
import {
  type AgencyRef,
  canReceive,
  catalogueDueOn,
  isHealthRelated,
  isOneOf,
  isServiceType,
  isStateBody,
  isUrgency,
  parseAgencyCode,
  receiversOn,
} from './referral-catalogue';
import type { ServiceType, Urgency } from './referral-catalogue.data';
import type { ReasonCode } from './reason-codes.data';
import { isReasonCodeOf, reasonCodesOf, receiverSeesReasonText } from './reason-codes';
import type {
  AcceptReferral,
  CompleteReferral,
  CreateReferral,
  DeclineReferral,
  MarkOverdue,
  ProposeReferral,
  RedirectReferral,
  ReferralCommand,
  SendReferral,
  WithdrawConsent,
  WithdrawReferral,
} from './referral.commands';
import { type DomainError, domainError, isDomainError } from './referral.errors';
import {
  COMPLETION_OUTCOMES,
  type CompletionOutcome,
  type Consent,
  DECLINE_REASONS,
  type DeclineReason,
  type ReferralEvent,
  type SharingLegalBasis,
} from './referral.events';

export type ReferralStatus = 'NONE' | 'DRAFT' | 'SENT' | 'REDIRECTED' | 'ACCEPTED' | 'DECLINED' | 'WITHDRAWN' | 'COMPLETED';

/** Waiting for the receiver's answer: the due date runs only here. */
export const PENDING_STATUSES: readonly ReferralStatus[] = ['SENT', 'REDIRECTED'];
/** Nothing changes any more, except that the person may still withdraw consent. */
export const FINAL_STATUSES: readonly ReferralStatus[] = ['DECLINED', 'WITHDRAWN', 'COMPLETED'];

/**
 * The lifecycle graph. decide() enforces it rule by rule with named errors; the table is the
 * reference the property test checks every transition against. A status's loop to itself is a
 * consent withdrawal or an overdue mark, which change flags, not the status (a second redirect
 * keeps REDIRECTED).
 */
export const REFERRAL_TRANSITIONS: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  NONE: ['DRAFT', 'SENT'],
  DRAFT: ['DRAFT', 'SENT', 'WITHDRAWN'],
  SENT: ['SENT', 'ACCEPTED', 'DECLINED', 'REDIRECTED', 'WITHDRAWN'],
  REDIRECTED: ['REDIRECTED', 'ACCEPTED', 'DECLINED', 'WITHDRAWN'],
  ACCEPTED: ['ACCEPTED', 'COMPLETED'],
  DECLINED: ['DECLINED'],
  WITHDRAWN: ['WITHDRAWN'],
  COMPLETED: ['COMPLETED'],
};

export interface ReferralState {
  readonly status: ReferralStatus;
  readonly referralId: string | null;
  readonly personId: string | null;
  readonly caseId: string | null;
  readonly from: AgencyRef | null;
  /** The current receiver (null only for a draft without one). */
  readonly to: AgencyRef | null;
  /** Every receiver so far, in order; the last one is `to`. A redirect may not return to any of them. */
  readonly chain: readonly AgencyRef[];
  readonly serviceType: ServiceType | null;
  readonly urgency: Urgency | null;
  /** Free text, kept to copy it into ReferralSent when a draft is sent. */
  readonly reason: string | null;
  /** The coded reason (issue 10 §10): what a receiver that may not read `reason` sees. */
  readonly reasonCode: ReasonCode | null;
  readonly sharesTreatmentData: boolean;
  readonly consent: Consent | null;
  readonly legalBasis: SharingLegalBasis | null;
  /** Set once the person withdrew consent; the receiver sees it. */
  readonly consentWithdrawn: boolean;
  readonly consentWithdrawnOn: IsoDate | null;
  readonly proposedOn: IsoDate | null;
  readonly sentOn: IsoDate | null;
  /** The current receiver's due date; null while a draft. */
  readonly dueOn: IsoDate | null;
  /** Marked overdue for the current receiver (a redirect clears it: the new receiver has a new date). */
  readonly overdue: boolean;
  /** ReferralOverdue events over the whole life of the referral, one at most per receiver. */
  readonly overdueMarks: number;
  readonly acceptedOn: IsoDate | null;
  readonly declineReason: DeclineReason | null;
  readonly outcome: CompletionOutcome | null;
  readonly closedOn: IsoDate | null;
  /** The latest day recorded; a command handled on an earlier day (a clock gone back) is refused. */
  readonly lastEventOn: IsoDate | null;
}

export function initialState(): ReferralState {
  return {
    status: 'NONE',
    referralId: null,
    personId: null,
    caseId: null,
    from: null,
    to: null,
    chain: [],
    serviceType: null,
    urgency: null,
    reason: null,
    reasonCode: null,
    sharesTreatmentData: false,
    consent: null,
    legalBasis: null,
    consentWithdrawn: false,
    consentWithdrawnOn: null,
    proposedOn: null,
    sentOn: null,
    dueOn: null,
    overdue: false,
    overdueMarks: 0,
    acceptedOn: null,
    declineReason: null,
    outcome: null,
    closedOn: null,
    lastEventOn: null,
  };
}

export type DecideResult = ReferralEvent[] | DomainError;

/** `now` is the instant the command is handled; only today's date in Vietnam is read from it. */
export function decide(command: ReferralCommand, state: ReferralState, now: Date): DecideResult {
  // The deadline checker runs on every referral, again and again: it never gets an error.
  if (command.type === 'MarkOverdue') return markOverdue(command, state, now);
  const today = vietnamDateOf(now);
  if (command.type === 'CreateReferral' || command.type === 'ProposeReferral') {
    if (state.status !== 'NONE') return domainError('referral-already-exists');
    return command.type === 'CreateReferral' ? create(command, today) : propose(command, today);
  }
  if (state.status === 'NONE') return domainError('referral-not-found');
  if (state.lastEventOn !== null && today < state.lastEventOn) return domainError('date-before-previous-event');

  switch (command.type) {
    case 'SendReferral':
      return send(command, state, today);
    case 'AcceptReferral':
      return accept(command, state, today);
    case 'DeclineReferral':
      return decline(command, state, today);
    case 'RedirectReferral':
      return redirect(command, state, today);
    case 'WithdrawReferral':
      return withdraw(command, state, today);
    case 'CompleteReferral':
      return complete(command, state, today);
    case 'WithdrawConsent':
      return withdrawConsent(command, state, today);
    default:
      return assertNever(command);
  }
}

export function evolve(state: ReferralState, event: ReferralEvent): ReferralState {
  switch (event.type) {
    case 'ReferralProposed': {
      const d = event.data;
      return {
        ...state,
        status: 'DRAFT',
        referralId: d.referralId,
        personId: d.personId,
        caseId: d.caseId,
        from: d.from,
        to: d.to,
        chain: d.to ? [d.to] : [],
        serviceType: d.serviceType,
        urgency: d.urgency,
        reason: d.reason,
        reasonCode: d.reasonCode ?? null,
        sharesTreatmentData: d.sharesTreatmentData,
        consent: d.consent,
        legalBasis: d.legalBasis,
        proposedOn: d.proposedOn,
        lastEventOn: later(state.lastEventOn, d.proposedOn),
      };
    }
    case 'ReferralSent': {
      const d = event.data;
      return {
        ...state,
        status: 'SENT',
        referralId: d.referralId,
        personId: d.personId,
        caseId: d.caseId,
        from: d.from,
        to: d.to,
        chain: [d.to],
        serviceType: d.serviceType,
        urgency: d.urgency,
        reason: d.reason,
        reasonCode: d.reasonCode ?? null,
        sharesTreatmentData: d.sharesTreatmentData,
        consent: d.consent,
        legalBasis: d.legalBasis,
        sentOn: d.sentOn,
        dueOn: d.dueOn,
        overdue: false,
        lastEventOn: later(state.lastEventOn, d.sentOn),
      };
    }
    case 'ReferralAccepted':
      return { ...state, status: 'ACCEPTED', acceptedOn: event.data.acceptedOn, lastEventOn: later(state.lastEventOn, event.data.acceptedOn) };
    case 'ReferralDeclined':
      return {
        ...state,
        status: 'DECLINED',
        declineReason: event.data.reason,
        closedOn: event.data.declinedOn,
        lastEventOn: later(state.lastEventOn, event.data.declinedOn),
      };
    case 'ReferralRedirected':
      return {
        ...state,
        status: 'REDIRECTED',
        to: event.data.to,
        chain: [...state.chain, event.data.to],
        dueOn: event.data.dueOn,
        overdue: false,
        legalBasis: event.data.legalBasis ?? state.legalBasis,
        reasonCode: event.data.reasonCode ?? state.reasonCode,
        lastEventOn: later(state.lastEventOn, event.data.redirectedOn),
      };
    case 'ReferralWithdrawn':
      return { ...state, status: 'WITHDRAWN', closedOn: event.data.withdrawnOn, lastEventOn: later(state.lastEventOn, event.data.withdrawnOn) };
    case 'ReferralCompleted':
      return {
        ...state,
        status: 'COMPLETED',
        outcome: event.data.outcome,
        closedOn: event.data.completedOn,
        lastEventOn: later(state.lastEventOn, event.data.completedOn),
      };
    case 'ConsentWithdrawn':
      return {
        ...state,
        consentWithdrawn: true,
        consentWithdrawnOn: event.data.withdrawnOn,
        lastEventOn: later(state.lastEventOn, event.data.withdrawnOn),
      };
    case 'ReferralOverdue':
      return { ...state, overdue: true, overdueMarks: state.overdueMarks + 1, lastEventOn: later(state.lastEventOn, event.data.markedOn) };
    default:
      return assertNever(event);
  }
}

/** Folds a stream into state. */
export function replay(events: readonly ReferralEvent[], from: ReferralState = initialState()): ReferralState {
  return events.reduce(evolve, from);
}

export function isPending(status: ReferralStatus): boolean {
  return PENDING_STATUSES.includes(status);
}

/**
 * Whether the current receiver let the due date pass without accepting or declining: the referral
 * is still pending and `today` is after the due date (the due date itself is still in time).
 */
export function isOverdue(state: ReferralState, today: IsoDate): boolean {
  return isPending(state.status) && state.dueOn !== null && today > state.dueOn;
}

// --- command handlers -------------------------------------------------------------------------

function create(command: CreateReferral, today: IsoDate): DecideResult {
  const details = checkDetails(command.data, command.data.toAgency, today);
  if (isError(details)) return details;
  const { to } = details;
  if (to === null) return domainError('receiver-required');
  const consent = command.data.consent ?? null;
  const legalBasis = command.data.legalBasis ?? null;
  const sharing = checkSharing({ ...details, to, consent, legalBasis, consentWithdrawn: false }, today);
  if (sharing) return sharing;
  const coded = checkReasonCodeNeeded({ ...details, to, consent, legalBasis, consentWithdrawn: false }, details.reasonCode);
  if (coded) return coded;
  const due = dueDate(command.data.dueBy, details.serviceType, details.urgency, today);
  if (isError(due)) return due;
  return [
    {
      type: 'ReferralSent',
      data: {
        referralId: details.referralId,
        personId: details.personId,
        caseId: details.caseId,
        from: details.from,
        to,
        serviceType: details.serviceType,
        reason: details.reason,
        ...codeField(details.reasonCode),
        urgency: details.urgency,
        sharesTreatmentData: details.sharesTreatmentData,
        consent,
        legalBasis,
        sentOn: today,
        dueOn: due.dueOn,
        dueOnSource: due.source,
      },
    },
  ];
}

function propose(command: ProposeReferral, today: IsoDate): DecideResult {
  const details = checkDetails(command.data, command.data.toAgency ?? null, today);
  if (isError(details)) return details;
  return [
    {
      type: 'ReferralProposed',
      data: {
        referralId: details.referralId,
        personId: details.personId,
        caseId: details.caseId,
        from: details.from,
        to: details.to,
        serviceType: details.serviceType,
        reason: details.reason,
        ...codeField(details.reasonCode),
        urgency: details.urgency,
        sharesTreatmentData: details.sharesTreatmentData,
        // Kept as given: consent and legal basis are checked when the draft is sent.
        consent: command.data.consent ?? null,
        legalBasis: command.data.legalBasis ?? null,
        proposedOn: today,
      },
    },
  ];
}

function send(command: SendReferral, state: ReferralState, today: IsoDate): DecideResult {
  const from = state.from as AgencyRef;
  if (command.data.byAgency !== from.code) return domainError('not-the-sender');
  if (isFinal(state.status)) return domainError('referral-closed');
  if (state.status !== 'DRAFT') return domainError('not-a-draft');
  const serviceType = state.serviceType as ServiceType;
  const urgency = state.urgency as Urgency;
  const toCode = command.data.toAgency ?? state.to?.code ?? null;
  if (toCode === null) return domainError('receiver-required');
  const to = checkReceiver(toCode, from, serviceType, today);
  if (isError(to)) return to;
  // A withdrawn consent stays on record: replacing it would hide the withdrawal from the receiver.
  if (state.consentWithdrawn && command.data.consent) return domainError('consent-already-withdrawn');
  const consent = command.data.consent ?? state.consent;
  const legalBasis = command.data.legalBasis ?? state.legalBasis;
  const sharing = checkSharing(
    { to, serviceType, sharesTreatmentData: state.sharesTreatmentData, consent, legalBasis, consentWithdrawn: state.consentWithdrawn },
    today,
  );
  if (sharing) return sharing;
  const given = reasonCodeOf(serviceType, command.data.reasonCode);
  if (isDomainError(given)) return given;
  const reasonCode = given ?? state.reasonCode;
  const coded = checkReasonCodeNeeded({ to, serviceType, consent, legalBasis, consentWithdrawn: state.consentWithdrawn }, reasonCode);
  if (coded) return coded;
  const due = dueDate(command.data.dueBy, serviceType, urgency, today);
  if (isError(due)) return due;
  return [
    {
      type: 'ReferralSent',
      data: {
        referralId: state.referralId as string,
        personId: state.personId as string,
        caseId: state.caseId,
        from,
        to,
        serviceType,
        reason: state.reason as string,
        ...codeField(reasonCode),
        urgency,
        sharesTreatmentData: state.sharesTreatmentData,
        consent,
        legalBasis,
        sentOn: today,
        dueOn: due.dueOn,
        dueOnSource: due.source,
      },
    },
  ];
}

function accept(command: AcceptReferral, state: ReferralState, today: IsoDate): DecideResult {
  const refused = checkReceiverMayAnswer(command.data.byAgency, state);
  if (refused) return refused;
  return [{ type: 'ReferralAccepted', data: { by: command.data.byAgency, acceptedOn: today } }];
}

function decline(command: DeclineReferral, state: ReferralState, today: IsoDate): DecideResult {
  const refused = checkReceiverMayAnswer(command.data.byAgency, state);
  if (refused) return refused;
  const { reason } = command.data;
  if (!isOneOf(DECLINE_REASONS, reason)) return domainError('decline-reason-required');
  const note = textOrNull(command.data.note);
  if (reason === 'OTHER' && note === null) return domainError('decline-note-required');
  return [{ type: 'ReferralDeclined', data: { by: command.data.byAgency, declinedOn: today, reason, note } }];
}

/**
 * Redirect: the current receiver passes the referral on. It may not go to itself, back to the
 * sender (that is a decline), or to any agency it was already with (no ping-pong, so the chain
 * cannot loop). The new receiver gets a fresh due date from the redirect day: it could not have
 * answered earlier. Data reaches a new agency, so consent or a legal basis is checked again.
 */
function redirect(command: RedirectReferral, state: ReferralState, today: IsoDate): DecideResult {
  const refused = checkReceiverMayAnswer(command.data.byAgency, state);
  if (refused) return refused;
  const from = state.from as AgencyRef;
  const serviceType = state.serviceType as ServiceType;
  const target = parseAgencyCode(command.data.toAgency);
  if (target === null) return domainError('unknown-agency', 'receiver');
  if (target.code === state.to?.code) return domainError('redirect-to-current-receiver');
  if (target.code === from.code) return domainError('redirect-to-sender');
  if (state.chain.some((agency) => agency.code === target.code)) return domainError('redirect-to-earlier-receiver');
  const to = checkReceiver(command.data.toAgency, from, serviceType, today);
  if (isError(to)) return to;
  const newBasis = command.data.legalBasis ?? null;
  const sharing = checkSharing(
    {
      to,
      serviceType,
      sharesTreatmentData: state.sharesTreatmentData,
      consent: state.consent,
      legalBasis: newBasis ?? state.legalBasis,
      consentWithdrawn: state.consentWithdrawn,
    },
    today,
  );
  if (sharing) return sharing;
  // The sender chose the coded reason; a redirect may bring one only where the referral has none.
  const given = reasonCodeOf(serviceType, command.data.reasonCode);
  if (isDomainError(given)) return given;
  if (given !== null && state.reasonCode !== null && given !== state.reasonCode) return domainError('reason-code-already-recorded');
  const coded = checkReasonCodeNeeded(
    { to, serviceType, consent: state.consent, legalBasis: newBasis ?? state.legalBasis, consentWithdrawn: state.consentWithdrawn },
    state.reasonCode ?? given,
  );
  if (coded) return coded;
  return [
    {
      type: 'ReferralRedirected',
      data: {
        by: command.data.byAgency,
        to,
        redirectedOn: today,
        dueOn: catalogueDueOn(today, serviceType, state.urgency as Urgency),
        legalBasis: newBasis,
        ...(state.reasonCode === null ? codeField(given) : {}),
        note: textOrNull(command.data.note),
      },
    },
  ];
}

/** The sender may withdraw a draft or a referral still waiting; once accepted, the receiver closes it. */
function withdraw(command: WithdrawReferral, state: ReferralState, today: IsoDate): DecideResult {
  if (command.data.byAgency !== state.from?.code) return domainError('not-the-sender');
  if (isFinal(state.status)) return domainError('referral-closed');
  if (state.status === 'ACCEPTED') return domainError('withdraw-after-acceptance');
  return [{ type: 'ReferralWithdrawn', data: { by: command.data.byAgency, withdrawnOn: today, note: textOrNull(command.data.note) } }];
}

function complete(command: CompleteReferral, state: ReferralState, today: IsoDate): DecideResult {
  if (command.data.byAgency !== state.to?.code) return domainError('not-the-receiver');
  if (isFinal(state.status)) return domainError('referral-closed');
  if (state.status !== 'ACCEPTED') return domainError('referral-not-accepted');
  const { outcome } = command.data;
  if (!isOneOf(COMPLETION_OUTCOMES, outcome)) return domainError('unknown-outcome');
  return [{ type: 'ReferralCompleted', data: { by: command.data.byAgency, completedOn: today, outcome, note: textOrNull(command.data.note) } }];
}

/**
 * Recordable in every status, closed ones included: the withdrawal binds whoever still holds the
 * data. It stops further sharing on the strength of consent (send, redirect to a non-state
 * receiver); answering (accept, decline) and completing stay allowed.
 */
function withdrawConsent(command: WithdrawConsent, state: ReferralState, today: IsoDate): DecideResult {
  const { byAgency, withdrawnOn } = command.data;
  if (byAgency !== state.from?.code && byAgency !== state.to?.code) return domainError('not-a-party');
  if (state.consent === null || !state.consent.given) return domainError('no-consent-to-withdraw');
  if (state.consentWithdrawn) return domainError('consent-already-withdrawn');
  const dateError = checkPastDate(withdrawnOn, today);
  if (dateError) return dateError;
  if (withdrawnOn < state.consent.recordedOn) return domainError('consent-withdrawn-before-recorded');
  return [{ type: 'ConsentWithdrawn', data: { recordedBy: byAgency, withdrawnOn } }];
}

/**
 * An event only when the referral is still waiting, `today` is past the due date and the current
 * receiver was not marked yet; otherwise nothing, so the checker can run as often as it likes. A
 * `today` later than the day of `now` is ignored: the checker cannot mark a day that has not come.
 */
function markOverdue(command: MarkOverdue, state: ReferralState, now: Date): DecideResult {
  const { today } = command.data;
  if (typeof today !== 'string' || !isIsoDate(today) || today > vietnamDateOf(now)) return [];
  if (state.overdue || !isOverdue(state, today) || state.to === null || state.dueOn === null) return [];
  return [{ type: 'ReferralOverdue', data: { receiver: state.to.code, dueOn: state.dueOn, markedOn: today } }];
}

// --- rules ------------------------------------------------------------------------------------

interface CheckedDetails {
  readonly referralId: string;
  readonly personId: string;
  readonly caseId: string | null;
  readonly from: AgencyRef;
  readonly to: AgencyRef | null;
  readonly serviceType: ServiceType;
  readonly urgency: Urgency;
  readonly reason: string;
  readonly reasonCode: ReasonCode | null;
  readonly sharesTreatmentData: boolean;
}

function checkDetails(data: CreateReferral['data'] | ProposeReferral['data'], toCode: string | null, today: IsoDate): CheckedDetails | DomainError {
  const { referralId, personId, reason, serviceType, urgency } = data;
  const caseId = data.caseId ?? null;
  if (!isFilled(referralId) || !isFilled(personId) || (caseId !== null && !isFilled(caseId))) return domainError('missing-reference');
  const from = parseAgencyCode(data.fromAgency);
  if (from === null) return domainError('unknown-agency', 'sender');
  if (!isAgencyTypeValidOn(from.type, today)) return domainError('agency-dissolved', `sender ${from.type}`);
  if (!isServiceType(serviceType)) return domainError('unknown-service-type');
  if (!isUrgency(urgency)) return domainError('unknown-urgency');
  if (!isFilled(reason)) return domainError('empty-reason');
  const reasonCode = reasonCodeOf(serviceType, data.reasonCode);
  if (isDomainError(reasonCode)) return reasonCode;
  let to: AgencyRef | null = null;
  if (toCode !== null) {
    const checked = checkReceiver(toCode, from, serviceType, today);
    if (isError(checked)) return checked;
    to = checked;
  }
  const sharesTreatmentData = data.sharesTreatmentData === true;
  if (sharesTreatmentData && !isHealthRelated(serviceType)) return domainError('treatment-data-not-allowed');
  return { referralId, personId, caseId, from, to, serviceType, urgency, reason, reasonCode, sharesTreatmentData };
}

/**
 * The receiver on the day the referral is sent or redirected: the catalogue's receivers that day
 * (after 2025-02-28 a DOLISA function goes to the department holding it). Events already stored
 * keep their receiver; the rule reads only the new step's date.
 */
function checkReceiver(code: string, from: AgencyRef, serviceType: ServiceType, today: IsoDate): AgencyRef | DomainError {
  const to = parseAgencyCode(code);
  if (to === null) return domainError('unknown-agency', 'receiver');
  if (to.code === from.code) return domainError('referral-to-self');
  if (!isAgencyTypeValidOn(to.type, today))
    return domainError('agency-dissolved', `receiver ${to.type}; ${serviceType} goes to ${receiversOn(serviceType, today).join(', ')}`);
  if (!canReceive(serviceType, to.type, today)) {
    return domainError('receiver-cannot-provide-service', `${serviceType} goes to ${receiversOn(serviceType, today).join(', ')} on ${today}`);
  }
  return to;
}

interface Sharing {
  readonly to: AgencyRef;
  readonly serviceType: ServiceType;
  readonly sharesTreatmentData: boolean;
  readonly consent: Consent | null;
  readonly legalBasis: SharingLegalBasis | null;
  readonly consentWithdrawn: boolean;
}

/**
 * Sending a person's data to a receiver. A state body receives it under its own legal duties; a
 * non-state receiver (SUPPORT_MODEL, NGO) needs a legal basis, or consent that was given, is still in
 * force and covers the service (and treatment data when it goes along). A consent or legal basis
 * that is given is checked even when it is not needed, so that nothing invalid is recorded.
 */
function checkSharing(sharing: Sharing, today: IsoDate): DomainError | null {
  const { consent, legalBasis } = sharing;
  if (consent !== null) {
    const dateError = checkPastDate(consent.recordedOn, today);
    if (dateError) return dateError;
  }
  if (legalBasis !== null) {
    if (!isFilled(legalBasis.decisionNo)) return domainError('decision-number-missing');
    if (!isFilled(legalBasis.lawArticle)) return domainError('law-article-missing');
    const dateError = checkPastDate(legalBasis.decisionDate, today);
    if (dateError) return dateError;
  }
  if (isStateBody(sharing.to.type) || legalBasis !== null) return null;
  if (consent === null) return domainError('consent-or-legal-basis-required');
  if (sharing.consentWithdrawn) return domainError('consent-withdrawn');
  if (consent.given !== true) return domainError('consent-not-given');
  if (!consent.scope?.services?.includes(sharing.serviceType)) return domainError('consent-scope-does-not-cover-service');
  if (sharing.sharesTreatmentData && consent.scope.treatmentData !== true) return domainError('consent-scope-does-not-cover-treatment-data');
  return null;
}

/** A coded reason as given: null when none; one of the service type's codes; otherwise an error. */
function reasonCodeOf(serviceType: ServiceType, value: string | null | undefined): ReasonCode | null | DomainError {
  if (value === null || value === undefined) return null;
  if (!isReasonCodeOf(serviceType, value)) return domainError('reason-code-not-for-service', `${serviceType}: ${reasonCodesOf(serviceType).join(', ')}`);
  return value;
}

/**
 * A receiver that may not read the free-text reason (`receiverSeesReasonText`: a non-state one
 * without a ground covering treatment data) sees the coded reason instead, so the referral must
 * carry one when it reaches such a receiver (issue 10 §10).
 */
function checkReasonCodeNeeded(
  sharing: Pick<Sharing, 'to' | 'serviceType' | 'consent' | 'legalBasis' | 'consentWithdrawn'>,
  reasonCode: ReasonCode | null,
): DomainError | null {
  if (reasonCode !== null) return null;
  const { consent } = sharing;
  const coversService = consent !== null && consent.given === true && consent.scope?.services?.includes(sharing.serviceType) === true;
  const seesText = receiverSeesReasonText({
    receiverType: sharing.to.type,
    hasLegalBasis: sharing.legalBasis !== null,
    consentCoversService: coversService,
    consentCoversTreatmentData: coversService && consent.scope.treatmentData === true,
    consentWithdrawn: sharing.consentWithdrawn,
  });
  return seesText ? null : domainError('reason-code-required', `${sharing.serviceType}: ${reasonCodesOf(sharing.serviceType).join(', ')}`);
}

/** The event's optional field: present only with a code, so events without one read as before. */
function codeField(reasonCode: ReasonCode | null): { reasonCode?: ReasonCode } {
  return reasonCode === null ? {} : { reasonCode };
}

/** Shared by accept, decline and redirect: the current receiver answers a referral still waiting. */
function checkReceiverMayAnswer(byAgency: string, state: ReferralState): DomainError | null {
  if (byAgency !== state.to?.code) return domainError('not-the-receiver');
  if (isFinal(state.status)) return domainError('referral-closed');
  if (!isPending(state.status)) return domainError('referral-not-pending');
  return null;
}

function dueDate(
  dueBy: IsoDate | null | undefined,
  serviceType: ServiceType,
  urgency: Urgency,
  today: IsoDate,
): { dueOn: IsoDate; source: 'CATALOGUE' | 'SENDER' } | DomainError {
  if (dueBy === null || dueBy === undefined) return { dueOn: catalogueDueOn(today, serviceType, urgency), source: 'CATALOGUE' };
  if (typeof dueBy !== 'string' || !isIsoDate(dueBy)) return domainError('invalid-date');
  if (dueBy < today) return domainError('due-date-in-past');
  return { dueOn: dueBy, source: 'SENDER' };
}

function checkPastDate(date: IsoDate, today: IsoDate): DomainError | null {
  if (typeof date !== 'string' || !isIsoDate(date)) return domainError('invalid-date');
  if (date > today) return domainError('date-in-future');
  return null;
}

// --- helpers ----------------------------------------------------------------------------------

function isFinal(status: ReferralStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

function isFilled(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function textOrNull(value: string | null | undefined): string | null {
  return isFilled(value) ? value : null;
}

function later(a: IsoDate | null, b: IsoDate): IsoDate {
  return a === null ? b : maxDate(a, b);
}

function isError<T extends object>(value: T | DomainError): value is DomainError {
  return (value as { kind?: unknown }).kind === 'DomainError';
}

function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

/** The referral as the one decider shape the service kit runs. */
export const referralDecider: Decider<ReferralCommand, ReferralEvent, ReferralState> = { initialState, decide, evolve };
