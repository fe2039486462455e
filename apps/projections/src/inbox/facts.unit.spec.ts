import { validateCasesIntegrationEvent } from '@haidang/contracts';
import { applyFactChanges, factsOf } from './facts';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('facts of integration events', () => {
  it('a rehab start counts in the commune of the case, in the province of the agency that recorded it, by form', () => {
    const { add } = factsOf('cases.RehabStarted.v1', {
      caseId: uuid(1),
      personId: uuid(2),
      form: 'VOLUNTARY_FACILITY',
      communeCode: '06793',
      recordedByAgency: '22-REHAB_FACILITY-1',
      startedOn: '2022-07-04',
    });
    expect(add).toEqual([
      expect.objectContaining({
        kind: 'REHAB_ADMISSION',
        subjectId: uuid(1),
        provinceCode: '22',
        communeCode: '06793',
        onDate: '2022-07-04',
        category: 'VOLUNTARY_FACILITY',
      }),
    ]);
    // No personal id reaches a fact.
    expect(JSON.stringify(add)).not.toContain(uuid(2));
  });

  it('an activity counts once per commune and once per establishment; its withdrawal voids all of them', () => {
    const recorded = factsOf('campaigns.ActivityRecorded.v1', {
      activityId: uuid(3),
      provinceCode: '22',
      communeCodes: ['06793', '06794'],
      heldOn: '2022-07-04',
      form: 'SCHOOL_SESSION',
      establishmentIds: [uuid(9)],
    });
    expect(recorded.add.map((f) => [f.kind, f.communeCode, f.ref])).toEqual([
      ['ACTIVITY', '06793', null],
      ['ACTIVITY', '06794', null],
      ['ACTIVITY_AT', null, uuid(9)],
    ]);
    const withdrawn = applyFactChanges(recorded.add, factsOf('campaigns.ActivityWithdrawn.v1', { activityId: uuid(3), withdrawnOn: '2022-07-05' }));
    expect(withdrawn.every((f) => f.voided)).toBe(true);
  });

  it('a support model deactivated and reactivated keeps its unit and kind', () => {
    const founded = factsOf('campaigns.SupportModelFounded.v1', {
      modelId: uuid(4),
      kind: 'AFTER_CARE_CLUB',
      communeCode: '06793',
      provinceCode: '22',
      foundedOn: '2021-01-01',
    }).add;
    const after = applyFactChanges(
      founded,
      factsOf('campaigns.SupportModelDeactivated.v1', { modelId: uuid(4), modelCode: '22-SUPPORT_MODEL-3', deactivatedOn: '2022-09-01' }),
    );
    expect(after.map((f) => [f.onDate, f.amount, f.communeCode, f.category])).toEqual([
      ['2021-01-01', 1, '06793', 'AFTER_CARE_CLUB'],
      ['2022-09-01', 0, '06793', 'AFTER_CARE_CLUB'],
    ]);
  });

  it('cross-border figures count per category; a correcting record voids the one it supersedes; period summaries are kept apart', () => {
    const base = {
      kind: 'HANDOVER',
      provinceCode: '20',
      crossingCode: null,
      periodFrom: '2022-07-01',
      periodTo: '2022-07-31',
      recordedByAgency: '20-BORDER_GUARD',
    };
    const first = factsOf('cross-border.FiguresRecorded.v1', {
      ...base,
      recordId: uuid(5),
      figures: [{ category: 'RECEIVED_TRAFFICKING_VICTIM', value: 2 }],
      supersedesRecordId: null,
    });
    const correction = factsOf('cross-border.FiguresRecorded.v1', {
      ...base,
      recordId: uuid(6),
      figures: [{ category: 'RECEIVED_TRAFFICKING_VICTIM', value: 3 }],
      supersedesRecordId: uuid(5),
    });
    const facts = applyFactChanges(first.add, correction);
    expect(facts.filter((f) => !f.voided).map((f) => f.amount)).toEqual([3]);
    const summary = factsOf('cross-border.FiguresRecorded.v1', {
      ...base,
      kind: 'PERIOD_SUMMARY',
      recordId: uuid(7),
      figures: [{ category: 'JOINT_PATROLS', value: 9 }],
      supersedesRecordId: null,
    });
    expect(summary.add[0]?.kind).toBe('CROSS_BORDER_SUMMARY');
  });

  it('job counselling counts only when the service was given', () => {
    const reported = (outcome: string, serviceType = 'JOB_COUNSELLING') =>
      factsOf('employment.ReferralOutcomeReported.v1', {
        referralId: uuid(8),
        provinceCode: '22',
        communeCode: null,
        serviceType,
        outcome,
        reportedOn: '2022-07-01',
      }).add;
    expect(reported('SERVICE_PROVIDED')).toHaveLength(1);
    expect(reported('PARTIALLY_PROVIDED')).toHaveLength(1);
    expect(reported('CLIENT_DISCONTINUED')).toHaveLength(0);
    expect(reported('SERVICE_PROVIDED', 'JOB_PLACEMENT')).toHaveLength(0);
  });

  it('a referral accepted lies in the commune of its case when the case is known, else in the referring commune', () => {
    const data = {
      referralId: uuid(10),
      caseId: uuid(1),
      serviceType: 'COUNSELLING',
      fromAgency: '22-COMMUNE-06795',
      toAgency: '22-SUPPORT_MODEL-3',
      acceptedOn: '2022-07-01',
    };
    expect(factsOf('referrals.ReferralAccepted.v1', data, { caseCommune: () => '06793' }).add[0]?.communeCode).toBe('06793');
    expect(factsOf('referrals.ReferralAccepted.v1', data).add[0]?.communeCode).toBe('06795');
  });

  it('post-rehab management (cases.PostRehabManagementStarted.v1, new in issue 15) counts in the commune of the case', () => {
    const event = {
      type: 'cases.PostRehabManagementStarted.v1',
      version: 1,
      eventId: uuid(11),
      caseId: uuid(1),
      personId: uuid(2),
      form: 'VOLUNTARY_COMMUNITY',
      communeCode: '06793',
      recordedByAgency: '22-COMMUNE-06793',
      occurredAt: '2022-09-16T03:00:00.000Z',
      startedOn: '2022-09-16',
      endsOn: '2023-09-16',
    };
    expect(validateCasesIntegrationEvent(event)).toMatchObject({ ok: true });
    expect(validateCasesIntegrationEvent({ ...event, endsOn: 'soon' })).toMatchObject({ ok: false });
    expect(factsOf(event.type, event).add).toEqual([
      expect.objectContaining({ kind: 'POST_REHAB_MANAGEMENT', provinceCode: '22', communeCode: '06793', onDate: '2022-09-16' }),
    ]);
  });

  it('ignores event types it does not read', () => {
    expect(factsOf('cases.PersonErased.v1', { personId: uuid(2) })).toEqual({ add: [], voidSubjects: [], endSubjects: [], modelStates: [] });
  });
});
