import { isIsoDate, vietnamDateOf, type IsoDate } from '@haidang/calendar';
import type { Decider } from '@haidang/decider';
import { actsForPreventionOn } from '../../agencies/domain/prevention-agencies';
import type { ActivityCommand, RecordActivity, WithdrawActivity } from './activity.commands';
import { activityError, type ActivityError } from './activity.errors';
import { ESTABLISHMENT_VENUES, MEDIA_FORMS, type ActivityEvent, type ActivityRecorded, type WithdrawalReason } from './activity.events';
import { isInCampaignMonth } from './campaign-months';

export type ActivityState =
  | { readonly status: 'NONE' }
  | {
      readonly status: 'RECORDED' | 'WITHDRAWN';
      readonly activity: ActivityRecorded['data'];
      readonly withdrawnOn: IsoDate | null;
      readonly withdrawalReason: WithdrawalReason | null;
    };

export function initialState(): ActivityState {
  return { status: 'NONE' };
}

export type ActivityDecision = readonly ActivityEvent[] | ActivityError;

/** `now` is the instant the command is handled; only today's date in Vietnam (UTC+7) is read from it. */
export function decide(command: ActivityCommand, state: ActivityState, now: Date): ActivityDecision {
  switch (command.type) {
    case 'RecordActivity':
      return record(command, state, now);
    case 'WithdrawActivity':
      return withdraw(command, state, now);
    default:
      return assertNever(command);
  }
}

function record(command: RecordActivity, state: ActivityState, now: Date): ActivityDecision {
  if (state.status !== 'NONE') return activityError('already-recorded');
  const { recordedByType, planPeriod, establishments, ...data } = command.data;
  if ([data.activityId, data.provinceCode, data.organiser].some((s) => s.trim() === '')) return activityError('missing-reference');
  const badDate = checkDate(data.heldOn, now);
  if (badDate !== undefined) return badDate;
  const media = MEDIA_FORMS.includes(data.form);
  if (!media && data.communeCodes.length === 0) return activityError('no-commune');
  if (new Set(data.communeCodes).size !== data.communeCodes.length) return activityError('duplicate-commune');
  if (media !== (data.venueType === 'MEDIA')) return activityError('venue-form-mismatch');
  if ((data.form === 'ARTICLE') !== (data.article !== null)) return activityError('article-details');
  if (data.article !== null && [data.article.outlet, data.article.title, data.article.url].some((s) => s.trim() === ''))
    return activityError('article-details');
  if (!Number.isInteger(data.audienceCount) || data.audienceCount < 0) return activityError('invalid-audience-count');
  if (data.campaignMonth !== null && !isInCampaignMonth(data.campaignMonth, data.heldOn)) return activityError('outside-campaign-month');
  if (data.planId !== null && planPeriod === null) return activityError('unknown-plan');
  if (planPeriod !== null && (data.heldOn < planPeriod.from || data.heldOn > planPeriod.to)) return activityError('outside-plan-period');
  if (establishments.some((e) => e.kind === null || e.provinceCode !== data.provinceCode || !e.open)) return activityError('unknown-establishment');
  const inEstablishment = ESTABLISHMENT_VENUES.includes(data.venueType);
  if (inEstablishment ? data.establishmentIds.length === 0 || establishments.some((e) => e.kind !== data.venueType) : data.establishmentIds.length > 0)
    return activityError('establishment-venue-mismatch');
  if (!actsForPreventionOn(recordedByType, data.heldOn)) return activityError('agency-not-holder');
  return [{ type: 'ActivityRecorded', data }];
}

function withdraw(command: WithdrawActivity, state: ActivityState, now: Date): ActivityDecision {
  if (state.status === 'NONE') return activityError('not-recorded');
  if (state.status === 'WITHDRAWN') return activityError('already-withdrawn');
  const badDate = checkDate(command.data.withdrawnOn, now);
  if (badDate !== undefined) return badDate;
  if (command.data.withdrawnOn < state.activity.heldOn) return activityError('withdrawn-before-held');
  return [{ type: 'ActivityWithdrawn', data: command.data }];
}

/** A real calendar day, not after today in Vietnam. */
function checkDate(date: string, now: Date): ActivityError | undefined {
  if (!isIsoDate(date)) return activityError('invalid-date');
  if (date > vietnamDateOf(now)) return activityError('date-in-future');
  return undefined;
}

export function evolve(state: ActivityState, event: ActivityEvent): ActivityState {
  switch (event.type) {
    case 'ActivityRecorded':
      return { status: 'RECORDED', activity: event.data, withdrawnOn: null, withdrawalReason: null };
    case 'ActivityWithdrawn':
      return state.status === 'NONE' ? state : { ...state, status: 'WITHDRAWN', withdrawnOn: event.data.withdrawnOn, withdrawalReason: event.data.reason };
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

export const activityDecider: Decider<ActivityCommand, ActivityEvent, ActivityState> = { initialState, decide, evolve };
