import type { PlanAdopted, PlanAmended } from './plan.events';

/** Commands carry the same data as the events they may become; the decider checks every rule. */
export type AdoptPlan = { readonly type: 'AdoptPlan'; readonly data: PlanAdopted['data'] };
export type AmendPlan = { readonly type: 'AmendPlan'; readonly data: Omit<PlanAmended['data'], 'amendmentNo'> };

export type PlanCommand = AdoptPlan | AmendPlan;
