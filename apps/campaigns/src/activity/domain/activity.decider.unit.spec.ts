import { fold, isDomainError } from '@haidang/decider';
import type { ActivityCommand, RecordActivity } from './activity.commands';
import { activityDecider, decide, type ActivityDecision } from './activity.decider';
import { ACTIVITY_ERROR_MESSAGES, type ActivityErrorCode } from './activity.errors';
import type { ActivityEvent } from './activity.events';
import { isInCampaignMonth } from './campaign-months';

/** 10:00 in Vietnam on 2022-12-20. */
const NOW = new Date('2022-12-20T03:00:00Z');

const given = (...events: ActivityEvent[]) => ({
  when: (command: ActivityCommand, now: Date = NOW): ActivityDecision => decide(command, fold(activityDecider, events), now),
});
const errorCode = (decision: ActivityDecision): string => (isDomainError(decision) ? decision.code : 'no error');

const meeting: RecordActivity['data'] = {
  activityId: 'a-1',
  provinceCode: '22',
  communeCodes: ['06793'],
  organiser: '22-COMMUNE-06793',
  heldOn: '2022-06-26',
  form: 'MEETING',
  venueType: 'RESIDENTIAL_AREA',
  audienceType: 'GENERAL_PUBLIC',
  audienceCount: 120,
  campaignMonth: 'DRUG_PREVENTION_MONTH',
  planId: 'plan-146',
  article: null,
  recordedByType: 'COMMUNE',
  planPeriod: { from: '2022-01-01', to: '2022-12-31' },
  establishmentIds: [],
  establishments: [],
};
const article: RecordActivity['data'] = {
  ...meeting,
  communeCodes: [],
  organiser: '22-DOLISA',
  form: 'ARTICLE',
  venueType: 'MEDIA',
  audienceCount: 0,
  campaignMonth: null,
  article: { outlet: 'Cổng TTĐT tỉnh Quảng Ninh', outletLevel: 'PROVINCIAL', title: 'Hưởng ứng Tháng hành động', url: 'https://www.quangninh.gov.vn/a/1' },
  recordedByType: 'DOLISA',
};
const record = (over: Partial<RecordActivity['data']> = {}, base = meeting): ActivityCommand => ({ type: 'RecordActivity', data: { ...base, ...over } });
const { recordedByType: _t, planPeriod: _p, establishments: _e, ...recordedData } = meeting;
const recorded: ActivityEvent = { type: 'ActivityRecorded', data: recordedData };
const withdraw = (withdrawnOn = '2022-07-01'): ActivityCommand => ({ type: 'WithdrawActivity', data: { withdrawnOn, reason: 'DUPLICATE' } });
const withdrawn: ActivityEvent = { type: 'ActivityWithdrawn', data: { withdrawnOn: '2022-07-01', reason: 'DUPLICATE' } };

describe('activity decider', () => {
  it('records a meeting in a commune during the drug-prevention month, under plan 146', () => {
    expect(given().when(record())).toEqual([recorded]);
  });

  it('records an article on the provincial portal with no commune, by the department that held the function then', () => {
    const events = given().when(record({}, article));
    expect(events).toMatchObject([{ type: 'ActivityRecorded', data: { form: 'ARTICLE', communeCodes: [], article: { outletLevel: 'PROVINCIAL' } } }]);
  });

  it('lets Health, not DOLISA, record for the province after the 2025 reorganisation', () => {
    const now = new Date('2026-07-01T03:00:00Z');
    const in2026 = { heldOn: '2026-06-26', planId: null, planPeriod: null };
    expect(errorCode(given().when(record({ ...in2026, recordedByType: 'HEALTH', organiser: '22-HEALTH' }, article), now))).toBe('no error');
    expect(errorCode(given().when(record({ ...in2026 }, article), now))).toBe('agency-not-holder');
  });

  it('withdraws a record, which then cannot change', () => {
    expect(given(recorded).when(withdraw())).toEqual([withdrawn]);
    expect(fold(activityDecider, [recorded, withdrawn])).toMatchObject({ status: 'WITHDRAWN', withdrawnOn: '2022-07-01', withdrawalReason: 'DUPLICATE' });
  });

  it('knows the action months: June for drugs, 10 November to 10 December for HIV/AIDS', () => {
    expect(isInCampaignMonth('DRUG_PREVENTION_MONTH', '2022-06-01')).toBe(true);
    expect(isInCampaignMonth('DRUG_PREVENTION_MONTH', '2022-07-01')).toBe(false);
    expect(isInCampaignMonth('HIV_AIDS_MONTH', '2022-11-09')).toBe(false);
    expect(isInCampaignMonth('HIV_AIDS_MONTH', '2022-12-10')).toBe(true);
  });

  const zone = { id: 'z-1', kind: 'INDUSTRIAL_ZONE', provinceCode: '22', open: true };
  const inZone = { venueType: 'INDUSTRIAL_ZONE' as const, audienceType: 'WORKERS' as const, establishmentIds: ['z-1'], establishments: [zone] };

  it('records an activity in a registered industrial zone, naming it', () => {
    expect(given().when(record(inZone))).toMatchObject([{ type: 'ActivityRecorded', data: { venueType: 'INDUSTRIAL_ZONE', establishmentIds: ['z-1'] } }]);
  });

  const refusals: ReadonlyArray<readonly [ActivityErrorCode, readonly ActivityEvent[], ActivityCommand]> = [
    ['already-recorded', [recorded], record()],
    ['not-recorded', [], withdraw()],
    ['already-withdrawn', [recorded, withdrawn], withdraw('2022-07-02')],
    ['missing-reference', [], record({ organiser: ' ' })],
    ['invalid-date', [], record({ heldOn: '2022-02-30' })],
    ['date-in-future', [], record({ heldOn: '2022-12-21', campaignMonth: null })],
    ['no-commune', [], record({ communeCodes: [] })],
    ['duplicate-commune', [], record({ communeCodes: ['06793', '06793'] })],
    ['venue-form-mismatch', [], record({ venueType: 'MEDIA' })],
    ['article-details', [], record({ article: null }, article)],
    ['invalid-audience-count', [], record({ audienceCount: -1 })],
    ['outside-campaign-month', [], record({ heldOn: '2022-07-05' })],
    ['outside-plan-period', [], record({ planPeriod: { from: '2023-01-01', to: '2023-12-31' } })],
    ['unknown-plan', [], record({ planPeriod: null })],
    ['agency-not-holder', [], record({ recordedByType: 'HEALTH', organiser: '22-HEALTH' }, article)],
    ['withdrawn-before-held', [recorded], withdraw('2022-06-25')],
    ['unknown-establishment', [], record({ ...inZone, establishments: [{ ...zone, kind: null }] })],
    ['establishment-venue-mismatch', [], record({ ...inZone, establishments: [{ ...zone, kind: 'SCHOOL' }] })],
  ];

  it.each(refusals)('refuses with %s', (code, events, command) => {
    expect(errorCode(given(...events).when(command))).toBe(code);
  });

  it('has a refusal above for every error code', () => {
    expect(refusals.map(([code]) => code).sort()).toEqual(Object.keys(ACTIVITY_ERROR_MESSAGES).sort());
  });
});
