import type { IsoDate } from '@haidang/calendar';
import type { CampaignMonth } from './activity.events';

/**
 * When each action month runs, as month-day spans of the year (data, not code). The national
 * action month for drug prevention is June (26 June: international day against drug abuse); the
 * national action month for HIV/AIDS prevention runs from 10 November to 10 December.
 * Limit: both spans are `verify: true` against the yearly guidance of the ministries.
 */
export const CAMPAIGN_MONTH_SPANS: Readonly<Record<CampaignMonth, { readonly from: string; readonly to: string; readonly verify: boolean }>> = {
  DRUG_PREVENTION_MONTH: { from: '06-01', to: '06-30', verify: true },
  HIV_AIDS_MONTH: { from: '11-10', to: '12-10', verify: true },
};

export function isInCampaignMonth(month: CampaignMonth, date: IsoDate): boolean {
  const span = CAMPAIGN_MONTH_SPANS[month];
  const monthDay = date.slice(5);
  return monthDay >= span.from && monthDay <= span.to;
}
