import { addDays } from '@haidang/calendar';
import fc from 'fast-check';
import { isStateBody, receiversOn, receiversOnAnyDate } from './referral-catalogue';
import { SERVICE_CATALOGUE, SERVICE_TYPES, URGENCIES } from './referral-catalogue.data';
import type { ReferralCommand } from './referral.commands';
import { decide, evolve, initialState, isOverdue, REFERRAL_TRANSITIONS, type ReferralState, type ReferralStatus } from './referral.decider';
import { COMPLETION_OUTCOMES, type Consent, DECLINE_REASONS } from './referral.events';
import { at, CLUB, CLUB_2, COMMUNE, DOLISA, EMPLOYMENT, FACILITY, HEALTH, HEALTH_DEPT, HOME_AFFAIRS, LEGAL_BASIS } from './referral.test-fixtures';

const COMMAND_TYPES = [
  'CreateReferral',
  'ProposeReferral',
  'SendReferral',
  'AcceptReferral',
  'DeclineReferral',
  'RedirectReferral',
  'WithdrawReferral',
  'CompleteReferral',
  'WithdrawConsent',
  'MarkOverdue',
] as const satisfies readonly ReferralCommand['type'][];

const AGENCIES = [FACILITY, EMPLOYMENT, DOLISA, HOME_AFFAIRS, HEALTH_DEPT, COMMUNE, HEALTH, CLUB, CLUB_2, '22-POLICE'];

/** One random step: a command type plus every knob any command could need. */
const step = fc.record({
  type: fc.constantFrom(...COMMAND_TYPES),
  // When set, the step sends a command that moves the referral on, so sequences get deep.
  guided: fc.boolean(),
  days: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 3 }), weight: 6 }, { arbitrary: fc.integer({ min: 4, max: 30 }), weight: 2 }),
  // Who acts: mostly the party the rule names, sometimes anyone.
  actor: fc.oneof({ arbitrary: fc.constantFrom('sender' as const, 'receiver' as const), weight: 4 }, { arbitrary: fc.constantFrom(...AGENCIES), weight: 1 }),
  target: fc.constantFrom(...AGENCIES),
  service: fc.constantFrom(...SERVICE_TYPES),
  urgency: fc.constantFrom(...URGENCIES),
  treatment: fc.boolean(),
  consent: fc.constantFrom('none', 'covering', 'not-given', 'narrow', 'future'),
  legalBasis: fc.boolean(),
  dueBy: fc.option(fc.integer({ min: -2, max: 20 }), { nil: null }),
  declineReason: fc.constantFrom(...DECLINE_REASONS),
  note: fc.option(fc.constantFrom('', 'a note'), { nil: null }),
  outcome: fc.constantFrom(...COMPLETION_OUTCOMES),
  // MarkOverdue's `today` relative to the real day: mostly today, sometimes in the past or future.
  todayOffset: fc.oneof({ arbitrary: fc.constant(0), weight: 6 }, { arbitrary: fc.integer({ min: -10, max: 3 }), weight: 1 }),
  withToAgency: fc.boolean(),
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

const NEXT_COMMAND: Record<ReferralStatus, ReferralCommand['type']> = {
  NONE: 'CreateReferral',
  DRAFT: 'SendReferral',
  SENT: 'RedirectReferral',
  REDIRECTED: 'AcceptReferral',
  ACCEPTED: 'CompleteReferral',
  DECLINED: 'WithdrawConsent',
  WITHDRAWN: 'WithdrawConsent',
  COMPLETED: 'WithdrawConsent',
};

function consentOf(s: Step, today: string): Consent | null {
  const services = [s.service];
  switch (s.consent) {
    case 'none':
      return null;
    case 'covering':
      return { given: true, recordedOn: today, scope: { services, treatmentData: true } };
    case 'not-given':
      return { given: false, recordedOn: today, scope: { services, treatmentData: true } };
    case 'narrow':
      return { given: true, recordedOn: today, scope: { services: [], treatmentData: false } };
    case 'future':
      return { given: true, recordedOn: addDays(today, 1), scope: { services, treatmentData: true } };
  }
}

function toCommand(raw: Step, state: ReferralState, today: string): ReferralCommand {
  const s = raw.guided ? { ...raw, type: NEXT_COMMAND[state.status] } : raw;
  const byAgency = s.actor === 'sender' ? (state.from?.code ?? FACILITY) : s.actor === 'receiver' ? (state.to?.code ?? EMPLOYMENT) : s.actor;
  const service = state.serviceType ?? s.service;
  // A guided receiver is picked from those the catalogue allows, so redirects and sends get through.
  const allowed = AGENCIES.filter((a) => receiversOn(service, today).some((t) => a.includes(`-${t}`)));
  const target = s.guided ? (allowed.find((a) => a !== state.from?.code && !state.chain.some((c) => c.code === a)) ?? s.target) : s.target;
  const consent = consentOf({ ...s, service }, today);
  const legalBasis = s.legalBasis ? LEGAL_BASIS : null;
  const details = {
    referralId: 'r',
    personId: 'p',
    fromAgency: FACILITY,
    serviceType: s.service,
    reason: 'why',
    urgency: s.urgency,
    sharesTreatmentData: s.treatment,
    consent,
    legalBasis,
  };
  switch (s.type) {
    case 'CreateReferral':
      return { type: s.type, data: { ...details, toAgency: target, dueBy: s.dueBy === null ? null : addDays(today, s.dueBy) } };
    case 'ProposeReferral':
      return { type: s.type, data: { ...details, toAgency: s.withToAgency ? target : null } };
    case 'SendReferral':
      return { type: s.type, data: { byAgency, toAgency: s.withToAgency ? target : null, consent, legalBasis } };
    case 'AcceptReferral':
      return { type: s.type, data: { byAgency } };
    case 'DeclineReferral':
      return { type: s.type, data: { byAgency, reason: s.declineReason, note: s.note } };
    case 'RedirectReferral':
      return { type: s.type, data: { byAgency, toAgency: target, legalBasis: s.legalBasis ? LEGAL_BASIS : null } };
    case 'WithdrawReferral':
      return { type: s.type, data: { byAgency } };
    case 'CompleteReferral':
      return { type: s.type, data: { byAgency, outcome: s.outcome } };
    case 'WithdrawConsent':
      return { type: s.type, data: { byAgency, withdrawnOn: today } };
    case 'MarkOverdue':
      return { type: s.type, data: { today: addDays(today, s.todayOffset) } };
  }
}

/** Every invariant a reachable state must satisfy; returns the first one broken. */
function brokenInvariant(state: ReferralState): string | null {
  const codes = state.chain.map((a) => a.code);
  if (new Set(codes).size !== codes.length) return 'an agency twice in the chain';
  if (state.from && codes.includes(state.from.code)) return 'the sender in the chain';
  if (state.sentOn !== null && state.to === null) return 'sent without a receiver';
  if (state.to !== null && codes.at(-1) !== state.to.code) return 'receiver is not the end of the chain';
  if (state.to && state.serviceType && !receiversOnAnyDate(state.serviceType).includes(state.to.type)) return 'receiver cannot provide the service';
  if (state.sharesTreatmentData && state.serviceType && !SERVICE_CATALOGUE[state.serviceType].healthRelated) return 'treatment data on a non-health service';
  if (state.sentOn !== null && (state.dueOn === null || state.dueOn < state.sentOn)) return 'due before sent';
  if (state.overdueMarks > state.chain.length) return 'overdue more than once per receiver';
  if (state.consentWithdrawn && (state.consent === null || !state.consent.given)) return 'withdrawn consent that was never given';
  return null;
}

/** Data reaching a non-state receiver: only with a legal basis, or consent in force covering the service. */
function sharedUnlawfully(state: ReferralState): boolean {
  if (state.to === null || isStateBody(state.to.type) || state.legalBasis !== null) return false;
  const consent = state.consent;
  return consent === null || !consent.given || state.consentWithdrawn || !consent.scope.services.includes(state.serviceType as never);
}

describe('referral decider, random command sequences', () => {
  it('moves only along the transition table, keeps its invariants, marks overdue at most once per receiver, and MarkOverdue never errors', () => {
    const reached = new Set<ReferralStatus>();
    let overdueEvents = 0;
    fc.assert(
      // 2025-02-20: sequences cross 2025-03-01, when DOLISA's functions moved (ADR 0010).
      fc.property(fc.constantFrom('2025-02-20', '2026-02-10', '2026-04-24', '2026-12-28'), fc.array(step, { maxLength: 30, size: 'max' }), (base, steps) => {
        let state = initialState();
        let day: string = base;
        const markedReceivers: string[] = [];
        for (const s of steps) {
          day = addDays(day, s.days);
          const command = toCommand(s, state, day);
          const result = decide(command, state, at(day));
          if (!Array.isArray(result)) {
            if (command.type === 'MarkOverdue') throw new Error(`MarkOverdue refused: ${result.code}`);
            expect(result.message.length).toBeGreaterThan(0);
            continue;
          }
          for (const event of result) {
            const next = evolve(state, event);
            if (!REFERRAL_TRANSITIONS[state.status].includes(next.status)) throw new Error(`transition ${state.status} → ${next.status} by ${event.type}`);
            if (event.type === 'ReferralOverdue') {
              overdueEvents += 1;
              if (markedReceivers.includes(event.data.receiver)) throw new Error('overdue twice for one receiver');
              if (!isOverdue(state, event.data.markedOn) || event.data.markedOn > day) throw new Error('overdue before the due date passed');
              markedReceivers.push(event.data.receiver);
            }
            if (
              (event.type === 'ReferralSent' || event.type === 'ReferralRedirected') &&
              !receiversOn(next.serviceType as never, day).includes(event.data.to.type)
            ) {
              throw new Error(`${event.type} to ${event.data.to.type}, not a receiver of ${String(next.serviceType)} on ${day}`);
            }
            if ((event.type === 'ReferralSent' || event.type === 'ReferralRedirected') && sharedUnlawfully(next)) {
              throw new Error(`${event.type} to a non-state receiver without consent or legal basis`);
            }
            state = next;
            const broken = brokenInvariant(state);
            if (broken) throw new Error(`${broken} after ${event.type}`);
            reached.add(state.status);
          }
          // Idempotent checker: right after a mark (or none), the same check yields nothing.
          if (command.type === 'MarkOverdue') expect(decide(command, state, at(day))).toEqual([]);
        }
      }),
      { numRuns: 1500 },
    );
    // Guards against a vacuous property: the generator must walk the whole lifecycle.
    expect([...reached].sort()).toEqual(['ACCEPTED', 'COMPLETED', 'DECLINED', 'DRAFT', 'REDIRECTED', 'SENT', 'WITHDRAWN'].sort());
    expect(overdueEvents).toBeGreaterThan(0);
  });
});
