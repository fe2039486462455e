import type { PlanAdopted, PlanAmended } from './plan.events';

/** What the service looks up for the decider: the parent plan (its stream) and the former districts (the unit register). */
export interface AdoptionFacts {
  /** The plan named as `parentPlanId`, as recorded; null when none is (or none was named). */
  readonly parent: { readonly provinceCode: string; readonly districtName: string | null; readonly periodFrom: string; readonly periodTo: string } | null;
  /** The names of the province's districts on the day the plan was issued (none from 2025-07-01). */
  readonly formerDistricts: readonly string[];
}

/** Commands carry the same data as the events they may become, and the facts looked up for them; the decider checks every rule. */
export type AdoptPlan = { readonly type: 'AdoptPlan'; readonly data: PlanAdopted['data']; readonly facts: AdoptionFacts };
export type AmendPlan = { readonly type: 'AmendPlan'; readonly data: Omit<PlanAmended['data'], 'amendmentNo'> };

export type PlanCommand = AdoptPlan | AmendPlan;
