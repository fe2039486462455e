import type { AdoptionFacts, PlanCommand } from './plan.commands';
import type { PlanAdopted, PlanEvent, PlanTarget } from './plan.events';

export const target = (over: Partial<PlanTarget> = {}): PlanTarget => ({
  indicator: 'COMMUNES_WITH_ACTIVITY',
  numerator: 'communes that held at least one communication activity in the period',
  denominator: 'communes of the province in force',
  kind: 'PERCENT',
  comparison: 'AT_LEAST',
  value: 100,
  unitLevel: 'COMMUNE',
  span: 'PERIOD',
  countedEvents: ['campaigns.ActivityRecorded.v1'],
  ...over,
});

export const adoption: PlanAdopted['data'] = {
  planId: '6f1d1c1e-1111-4a4a-8a8a-000000000146',
  provinceCode: '22',
  issuedBy: '22-PPC',
  number: '146/KH-UBND',
  issuedOn: '2022-05-20',
  title: 'Cai nghiện ma túy và quản lý sau cai nghiện năm 2022',
  leadAgency: '22-DOLISA',
  periodFrom: '2022-01-01',
  periodTo: '2022-12-31',
  parentPlanId: null,
  districtName: null,
  targets: [target()],
};

/** What the service would have looked up: no parent; the districts of Quảng Ninh in 2022 (a few). */
export const noFacts: AdoptionFacts = { parent: null, formerDistricts: ['Thành phố Cẩm Phả', 'Huyện Cô Tô', 'Thành phố Hạ Long'] };
export const underPlan146: AdoptionFacts = {
  ...noFacts,
  parent: { provinceCode: '22', districtName: null, periodFrom: '2022-01-01', periodTo: '2022-12-31' },
};

export const adopt = (over: Partial<PlanAdopted['data']> = {}, facts: AdoptionFacts = noFacts): PlanCommand => ({
  type: 'AdoptPlan',
  data: { ...adoption, ...over },
  facts,
});
export const adopted = (over: Partial<PlanAdopted['data']> = {}): PlanEvent => ({ type: 'PlanAdopted', data: { ...adoption, ...over } });

export const amend = (
  effectiveFrom: string,
  targets: readonly PlanTarget[] = [target({ value: 90 })],
  over: { number?: string; issuedOn?: string } = {},
): PlanCommand => ({
  type: 'AmendPlan',
  data: { number: over.number ?? '201/KH-UBND', issuedOn: over.issuedOn ?? '2022-07-01', effectiveFrom, targets },
});
