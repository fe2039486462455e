import { isIsoDate, vietnamDateOf, type IsoDate } from '@haidang/calendar';
import type { Decider } from '@haidang/decider';
import type { AdoptPlan, AmendPlan, PlanCommand } from './plan.commands';
import { planError, type PlanError } from './plan.errors';
import { DISTRICTS_ABOLISHED_ON, type PlanAdopted, type PlanEvent, type PlanTarget } from './plan.events';

/** One version of the targets: version 0 is the plan as adopted, effective from the first day of its period. */
export interface TargetVersion {
  readonly version: number;
  readonly number: string;
  readonly issuedOn: IsoDate;
  readonly effectiveFrom: IsoDate;
  readonly targets: readonly PlanTarget[];
}

export type PlanHeader = Omit<PlanAdopted['data'], 'targets'>;

export type PlanState = { readonly status: 'NONE' } | { readonly status: 'ADOPTED'; readonly plan: PlanHeader; readonly versions: readonly TargetVersion[] };

export function initialState(): PlanState {
  return { status: 'NONE' };
}

export type PlanDecision = readonly PlanEvent[] | PlanError;

export function decide(command: PlanCommand, state: PlanState, now: Date): PlanDecision {
  switch (command.type) {
    case 'AdoptPlan':
      return adopt(command, state, now);
    case 'AmendPlan':
      return amend(command, state, now);
    default:
      return assertNever(command);
  }
}

function adopt(command: AdoptPlan, state: PlanState, now: Date): PlanDecision {
  if (state.status !== 'NONE') return planError('already-adopted');
  const d = command.data;
  if ([d.planId, d.provinceCode, d.issuedBy, d.number, d.title, d.leadAgency].some((s) => s.trim() === '')) return planError('missing-reference');
  for (const date of [d.issuedOn, d.periodFrom, d.periodTo]) if (!isIsoDate(date)) return planError('invalid-date');
  if (d.issuedOn > vietnamDateOf(now)) return planError('date-in-future');
  if (d.periodTo < d.periodFrom) return planError('period-reversed');
  const badPlace = checkParentAndDistrict(command);
  if (badPlace !== undefined) return badPlace;
  const bad = checkTargets(d.targets, d.issuedOn);
  if (bad !== undefined) return bad;
  return [{ type: 'PlanAdopted', data: d }];
}

function amend(command: AmendPlan, state: PlanState, now: Date): PlanDecision {
  if (state.status !== 'ADOPTED') return planError('not-adopted');
  const d = command.data;
  if (d.number.trim() === '') return planError('missing-reference');
  if (!isIsoDate(d.issuedOn) || !isIsoDate(d.effectiveFrom)) return planError('invalid-date');
  if (d.issuedOn > vietnamDateOf(now)) return planError('date-in-future');
  if (d.issuedOn < state.plan.issuedOn) return planError('amendment-before-plan');
  if (d.effectiveFrom <= state.plan.periodFrom || d.effectiveFrom > state.plan.periodTo) return planError('amendment-outside-period');
  if (state.versions.some((v) => v.effectiveFrom === d.effectiveFrom)) return planError('amendment-date-taken');
  const bad = checkTargets(d.targets, d.issuedOn);
  if (bad !== undefined) return bad;
  return [{ type: 'PlanAmended', data: { ...d, amendmentNo: state.versions.length } }];
}

/**
 * A plan under another carries it out in part of its province and period; a district plan (before
 * 2025-07-01) names a district the unit register knew on the day it was issued, under a provincial plan.
 */
function checkParentAndDistrict({ data: d, facts }: AdoptPlan): PlanError | undefined {
  if (d.parentPlanId !== null) {
    const parent = facts.parent;
    if (parent === null) return planError('unknown-parent-plan');
    if (parent.provinceCode !== d.provinceCode || parent.districtName !== null) return planError('parent-not-provincial');
    if (d.periodFrom < parent.periodFrom || d.periodTo > parent.periodTo) return planError('outside-parent-period');
  }
  if (d.districtName === null) return undefined;
  if (d.parentPlanId === null) return planError('district-plan-needs-parent');
  if (d.issuedOn >= DISTRICTS_ABOLISHED_ON) return planError('district-after-reform');
  return facts.formerDistricts.includes(d.districtName) ? undefined : planError('unknown-district');
}

/** The rules every version of the targets obeys; `issuedOn` decides whether districts still exist. */
function checkTargets(targets: readonly PlanTarget[], issuedOn: IsoDate): PlanError | undefined {
  if (targets.length === 0) return planError('no-targets');
  if (new Set(targets.map((t) => t.indicator)).size !== targets.length) return planError('duplicate-indicator');
  for (const t of targets) {
    if (t.kind === 'PERCENT') {
      if (!(t.value > 0 && t.value <= 100)) return planError('percent-out-of-range');
      if (t.denominator === null || t.denominator.trim() === '') return planError('missing-denominator');
    } else if (!Number.isInteger(t.value) || t.value <= 0) return planError('count-not-positive');
    if (t.countedEvents.length === 0) return planError('no-counted-events');
    if (t.unitLevel === 'DISTRICT' && issuedOn >= DISTRICTS_ABOLISHED_ON) return planError('district-after-reform');
  }
  return undefined;
}

export function evolve(state: PlanState, event: PlanEvent): PlanState {
  switch (event.type) {
    case 'PlanAdopted': {
      const { targets, ...adopted } = event.data;
      const plan = { ...adopted, districtName: adopted.districtName ?? null };
      return { status: 'ADOPTED', plan, versions: [{ version: 0, number: plan.number, issuedOn: plan.issuedOn, effectiveFrom: plan.periodFrom, targets }] };
    }
    case 'PlanAmended': {
      if (state.status !== 'ADOPTED') return state;
      const { amendmentNo, number, issuedOn, effectiveFrom, targets } = event.data;
      return { ...state, versions: [...state.versions, { version: amendmentNo, number, issuedOn, effectiveFrom, targets }] };
    }
    default:
      return assertNever(event);
  }
}

/**
 * The targets in force on `date`: the version with the latest `effectiveFrom` on or before it (the
 * order amendments were recorded in does not matter). None before or after the plan period.
 */
export function targetsInForce(state: PlanState, date: IsoDate): TargetVersion | undefined {
  if (state.status !== 'ADOPTED' || date < state.plan.periodFrom || date > state.plan.periodTo) return undefined;
  let inForce: TargetVersion | undefined;
  for (const version of state.versions)
    if (version.effectiveFrom <= date && (inForce === undefined || version.effectiveFrom > inForce.effectiveFrom)) inForce = version;
  return inForce;
}

function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

export const planDecider: Decider<PlanCommand, PlanEvent, PlanState> = { initialState, decide, evolve };
