import fc from 'fast-check';
import { fold, isDomainError } from '@haidang/decider';
import type { EmploymentRecordCommand } from './employment-record.commands';
import { decide, employmentRecordDecider, initialState, pendingFollowUps, type EmploymentRecordState } from './employment-record.decider';
import { EMPLOYMENT_RECORD_ERROR_MESSAGES, type EmploymentRecordErrorCode } from './employment-record.errors';
import type { EmploymentRecordEvent, EmploymentRecordOpened } from './employment-record.events';
import { followUpsFor, workingDayOnOrAfter } from './follow-up-schedule';

const NOW = new Date('2027-06-30T03:00:00Z'); // 2027-06-30 in Vietnam
const RECORD = '11111111-1111-4111-8111-111111111111';
const PERSON = '22222222-2222-4222-8222-222222222222';
const REFERRAL = '33333333-3333-4333-8333-333333333333';
const PROVIDER = '44444444-4444-4444-8444-444444444444';
const EMPLOYER = '55555555-5555-4555-8555-555555555555';
const E1 = 'e1';
const P1 = 'p1';

const openData = (over: Partial<EmploymentRecordOpened['data']> = {}): EmploymentRecordOpened['data'] => ({
  recordId: RECORD,
  personId: PERSON,
  communeCode: '06793',
  provinceCode: '22',
  openedOn: '2026-08-03',
  need: 'WANTS_WORK',
  notNowReason: null,
  skills: 'hàn',
  preferences: 'ca ngày',
  referral: null,
  ...over,
});
const opened = (over: Partial<EmploymentRecordOpened['data']> = {}): EmploymentRecordEvent => ({ type: 'EmploymentRecordOpened', data: openData(over) });
const open = (over: Partial<EmploymentRecordOpened['data']> = {}): EmploymentRecordCommand => ({ type: 'OpenEmploymentRecord', data: openData(over) });
const fromReferral = (serviceType: 'JOB_COUNSELLING' | 'VOCATIONAL_TRAINING' | 'JOB_PLACEMENT') =>
  opened({ referral: { referralId: REFERRAL, serviceType, acceptedBy: '22-EMPLOYMENT_CENTRE' } });

const session = (over: Record<string, unknown> = {}): EmploymentRecordCommand =>
  ({
    type: 'HoldCounsellingSession',
    data: { sessionId: 's1', heldOn: '2026-08-10', counsellor: 'Hoa', outcome: 'PLAN_AGREED', nextStep: 'NONE', note: null, ...over },
  }) as EmploymentRecordCommand;
const enrol = (over: Record<string, unknown> = {}): EmploymentRecordCommand =>
  ({
    type: 'EnrolInTraining',
    data: {
      enrolmentId: E1,
      tradeCode: 'WELDING',
      providerId: PROVIDER,
      level: 'UNDER_3_MONTHS',
      startOn: '2026-09-01',
      expectedEndOn: '2026-11-30',
      funding: 'STATE_SUPPORT_AFTER_REHAB',
      provider: { agencyCode: '22-NGO-7', provinceCode: '22', closed: false },
      ...over,
    },
  }) as EmploymentRecordCommand;
const enrolled: EmploymentRecordEvent = {
  type: 'TrainingEnrolled',
  data: {
    enrolmentId: E1,
    tradeCode: 'WELDING',
    providerId: PROVIDER,
    providerAgency: '22-NGO-7',
    level: 'UNDER_3_MONTHS',
    startOn: '2026-09-01',
    expectedEndOn: '2026-11-30',
    funding: 'STATE_SUPPORT_AFTER_REHAB',
  },
};
const complete = (over: Record<string, unknown> = {}): EmploymentRecordCommand =>
  ({ type: 'CompleteTraining', data: { enrolmentId: E1, completedOn: '2026-11-28', certificateNumber: 'QN-1', ...over } }) as EmploymentRecordCommand;
const dropout = (over: Record<string, unknown> = {}): EmploymentRecordCommand =>
  ({ type: 'RecordTrainingDropout', data: { enrolmentId: E1, droppedOn: '2026-10-01', reason: 'FOUND_WORK', note: null, ...over } }) as EmploymentRecordCommand;
const startJob = (over: Record<string, unknown> = {}): EmploymentRecordCommand =>
  ({
    type: 'StartJob',
    data: {
      placementId: P1,
      employerId: EMPLOYER,
      jobTitle: 'Thợ hàn',
      contractType: 'FIXED_TERM',
      startOn: '2026-12-01',
      wageBand: '6M_TO_8M',
      loan: null,
      employerKnown: true,
      employerClosed: false,
      ...over,
    },
  }) as EmploymentRecordCommand;
const jobStarted: EmploymentRecordEvent = {
  type: 'JobStarted',
  data: {
    placementId: P1,
    employerId: EMPLOYER,
    jobTitle: 'Thợ hàn',
    contractType: 'FIXED_TERM',
    startOn: '2026-12-01',
    wageBand: '6M_TO_8M',
    loan: null,
    followUps: followUpsFor('2026-12-01'),
  },
};
const followUp = (over: Record<string, unknown> = {}): EmploymentRecordCommand =>
  ({ type: 'RecordJobFollowUp', data: { placementId: P1, month: 3, checkedOn: '2027-03-01', stillWorking: true, ...over } }) as EmploymentRecordCommand;
const leave = (over: Record<string, unknown> = {}): EmploymentRecordCommand =>
  ({ type: 'LeaveJob', data: { placementId: P1, leftOn: '2027-02-01', reason: 'RESIGNED', ...over } }) as EmploymentRecordCommand;
const closeRecord = (over: Record<string, unknown> = {}): EmploymentRecordCommand =>
  ({ type: 'CloseEmploymentRecord', data: { closedOn: '2027-06-01', outcome: 'EMPLOYED', ...over } }) as EmploymentRecordCommand;
const closed: EmploymentRecordEvent = { type: 'EmploymentRecordClosed', data: { closedOn: '2027-06-01', outcome: 'EMPLOYED' } };

const given = (...events: EmploymentRecordEvent[]) => ({
  when: (command: EmploymentRecordCommand) => decide(command, fold(employmentRecordDecider, events), NOW),
});
const errorCode = (result: ReturnType<typeof decide>): string | undefined => (isDomainError(result) ? result.code : undefined);
const types = (result: ReturnType<typeof decide>): string[] => (isDomainError(result) ? [`error:${result.code}`] : result.map((e) => e.type));

describe('employment record decider', () => {
  it('opens a record with the person, the place and the need', () => {
    expect(given().when(open())).toEqual([opened()]);
    expect(fold(employmentRecordDecider, [opened()])).toMatchObject({ status: 'OPEN', personId: PERSON, communeCode: '06793', need: 'WANTS_WORK' });
  });

  it('opens a record from a referral without a commune, then records the commune once', () => {
    const fromRef = opened({ communeCode: null, referral: { referralId: REFERRAL, serviceType: 'JOB_COUNSELLING', acceptedBy: '22-EMPLOYMENT_CENTRE' } });
    expect(given().when(open({ communeCode: null }))).toHaveLength(1);
    expect(given(fromRef).when({ type: 'RecordResidence', data: { communeCode: '06793', provinceCode: '22' } })).toEqual([
      { type: 'ResidenceRecorded', data: { communeCode: '06793' } },
    ]);
  });

  it('assesses the need again, with a reason for NOT_NOW', () => {
    expect(
      types(
        given(opened()).when({ type: 'AssessNeed', data: { assessedOn: '2026-08-05', need: 'NOT_NOW', notNowReason: 'HEALTH', skills: '', preferences: '' } }),
      ),
    ).toEqual(['NeedAssessed']);
  });

  it('schedules follow-ups at 3, 6 and 12 months on working days', () => {
    // 2026-12-01 + 3 months = 2027-03-01 (a Monday); + 6 = 2027-06-01 (Tuesday); + 12 = 2027-12-01 (Wednesday).
    expect(followUpsFor('2026-12-01')).toEqual([
      { month: 3, dueOn: '2027-03-01' },
      { month: 6, dueOn: '2027-06-01' },
      { month: 12, dueOn: '2027-12-01' },
    ]);
    // 2026-11-14 + 3 months = 2027-02-14, a Sunday in the Tết holiday of 2027: moved to the first working day after it.
    const [threeMonths] = followUpsFor('2026-11-14');
    expect(threeMonths?.dueOn).toBe(workingDayOnOrAfter('2027-02-14'));
    expect((threeMonths?.dueOn ?? '') > '2027-02-14').toBe(true);
    // Saturday 2027-03-06 moves to Monday 2027-03-08.
    expect(workingDayOnOrAfter('2027-03-06')).toBe('2027-03-08');
  });

  it('starts a job with its follow-ups, records them, and ends it when the person is found not working', () => {
    const started = given(opened()).when(startJob());
    expect(started).toEqual([jobStarted]);
    const state = fold(employmentRecordDecider, [opened(), jobStarted]);
    expect(pendingFollowUps(state.placements[P1] as NonNullable<EmploymentRecordState['placements'][string]>)).toHaveLength(3);
    const notWorking = given(opened(), jobStarted).when(followUp({ stillWorking: false }));
    expect(types(notWorking)).toEqual(['JobFollowUpRecorded']);
    const after = fold(employmentRecordDecider, [opened(), jobStarted, ...(notWorking as EmploymentRecordEvent[])]);
    expect(after.placements[P1]?.status).toBe('LEFT');
    expect(pendingFollowUps(after.placements[P1] as never)).toEqual([]);
    // A new job may start after that.
    expect(types(given(opened(), jobStarted, ...(notWorking as EmploymentRecordEvent[])).when(startJob({ placementId: 'p2', startOn: '2027-04-01' })))).toEqual(
      ['JobStarted'],
    );
  });

  it('reports the outcome of the referral that opened the record once, at the step its service waited for', () => {
    expect(types(given(fromReferral('JOB_COUNSELLING')).when(session()))).toEqual(['CounsellingSessionHeld', 'ReferralOutcomeReported']);
    expect(types(given(fromReferral('JOB_COUNSELLING')).when(session({ outcome: 'NO_SHOW' })))).toEqual(['CounsellingSessionHeld']);
    const reported: EmploymentRecordEvent = {
      type: 'ReferralOutcomeReported',
      data: { referralId: REFERRAL, outcome: 'SERVICE_PROVIDED', reportedOn: '2026-08-10' },
    };
    expect(types(given(fromReferral('JOB_COUNSELLING'), reported).when(session({ sessionId: 's2' })))).toEqual(['CounsellingSessionHeld']);
    expect(types(given(fromReferral('VOCATIONAL_TRAINING'), enrolled).when(complete()))).toEqual(['TrainingCompleted', 'ReferralOutcomeReported']);
    expect(given(fromReferral('VOCATIONAL_TRAINING'), enrolled).when(dropout())).toContainEqual({
      type: 'ReferralOutcomeReported',
      data: { referralId: REFERRAL, outcome: 'CLIENT_DISCONTINUED', reportedOn: '2026-10-01' },
    });
    expect(types(given(fromReferral('JOB_PLACEMENT')).when(startJob()))).toEqual(['JobStarted', 'ReferralOutcomeReported']);
    // The wrong step for the service type reports nothing.
    expect(types(given(fromReferral('JOB_PLACEMENT')).when(session()))).toEqual(['CounsellingSessionHeld']);
    // Closed before: PARTIALLY_PROVIDED when something was done, else CLIENT_DISCONTINUED.
    expect(given(fromReferral('JOB_PLACEMENT')).when(closeRecord({ outcome: 'DECLINED_SERVICES' }))).toContainEqual({
      type: 'ReferralOutcomeReported',
      data: { referralId: REFERRAL, outcome: 'CLIENT_DISCONTINUED', reportedOn: '2027-06-01' },
    });
    expect(
      given(fromReferral('JOB_PLACEMENT'), {
        type: 'CounsellingSessionHeld',
        data: { sessionId: 's1', heldOn: '2026-08-10', counsellor: 'Hoa', outcome: 'INFORMED', nextStep: 'NONE', note: null },
      }).when(closeRecord()),
    ).toContainEqual({
      type: 'ReferralOutcomeReported',
      data: { referralId: REFERRAL, outcome: 'PARTIALLY_PROVIDED', reportedOn: '2027-06-01' },
    });
    expect(types(given(opened()).when(closeRecord()))).toEqual(['EmploymentRecordClosed']);
  });

  const refusals: ReadonlyArray<readonly [EmploymentRecordErrorCode, readonly EmploymentRecordEvent[], EmploymentRecordCommand]> = [
    ['already-open', [opened()], open()],
    ['record-not-open', [], session()],
    ['record-closed', [opened(), closed], session()],
    ['missing-reference', [], open({ personId: ' ' })],
    ['unknown-code', [], open({ need: 'MAYBE' as never })],
    ['reason-required', [], open({ need: 'NOT_NOW' })],
    ['invalid-date', [], open({ openedOn: '2026-02-30' })],
    ['date-in-future', [opened()], session({ heldOn: '2027-07-01' })],
    ['before-opening', [opened()], session({ heldOn: '2026-08-02' })],
    ['residence-already-known', [opened()], { type: 'RecordResidence', data: { communeCode: '06685', provinceCode: '22' } }],
    ['residence-in-another-province', [opened({ communeCode: null })], { type: 'RecordResidence', data: { communeCode: '05977', provinceCode: '20' } }],
    ['empty-text', [opened()], session({ counsellor: ' ' })],
    ['duplicate-id', [opened(), enrolled], startJob({ placementId: E1 })],
    ['unknown-provider', [opened()], enrol({ provider: null })],
    ['provider-closed', [opened()], enrol({ provider: { agencyCode: null, provinceCode: '22', closed: true } })],
    ['end-before-start', [opened()], enrol({ expectedEndOn: '2026-09-01' })],
    ['already-in-training', [opened(), enrolled], enrol({ enrolmentId: 'e2' })],
    ['unknown-enrolment', [opened()], complete()],
    [
      'enrolment-ended',
      [opened(), enrolled, { type: 'TrainingCompleted', data: { enrolmentId: E1, completedOn: '2026-11-28', certificateNumber: 'x' } }],
      dropout(),
    ],
    ['before-training-start', [opened(), enrolled], complete({ completedOn: '2026-08-31' })],
    ['unknown-employer', [opened()], startJob({ employerKnown: false })],
    ['employer-closed', [opened()], startJob({ employerClosed: true })],
    ['already-working', [opened(), jobStarted], startJob({ placementId: 'p2' })],
    ['unknown-placement', [opened()], followUp()],
    ['job-ended', [opened(), jobStarted, { type: 'JobLeft', data: { placementId: P1, leftOn: '2027-01-10', reason: 'RESIGNED' } }], leave()],
    ['not-a-follow-up', [opened(), jobStarted], followUp({ month: 9 })],
    [
      'follow-up-recorded',
      [opened(), jobStarted, { type: 'JobFollowUpRecorded', data: { placementId: P1, month: 3, checkedOn: '2027-03-01', stillWorking: true } }],
      followUp(),
    ],
    ['follow-up-too-early', [opened(), jobStarted], followUp({ month: 6, checkedOn: '2027-03-01' })],
    ['before-job-start', [opened(), jobStarted], leave({ leftOn: '2026-11-30' })],
    ['training-in-progress', [opened(), enrolled], closeRecord()],
  ];

  it.each(refusals)('refuses with %s', (code, events, command) => {
    expect(errorCode(given(...events).when(command))).toBe(code);
  });

  it('has a refusal above for every error code', () => {
    expect([...new Set(refusals.map(([code]) => code))].sort()).toEqual(Object.keys(EMPLOYMENT_RECORD_ERROR_MESSAGES).sort());
  });

  it('refuses bad codes in every command that carries one', () => {
    const opn = [opened()];
    for (const command of [
      session({ outcome: 'X' }),
      session({ nextStep: 'X' }),
      enrol({ tradeCode: 'X' }),
      enrol({ level: 'X' }),
      enrol({ funding: 'X' }),
      startJob({ contractType: 'X' }),
      startJob({ wageBand: 'X' }),
      startJob({ loan: { programme: 'X', amountBand: 'UP_TO_50M' } }),
      closeRecord({ outcome: 'X' }),
    ])
      expect(errorCode(given(...opn).when(command))).toBe('unknown-code');
    expect(errorCode(given(opened(), enrolled).when(dropout({ reason: 'X' })))).toBe('unknown-code');
    expect(errorCode(given(opened(), jobStarted).when(leave({ reason: 'X' })))).toBe('unknown-code');
  });

  describe('property: any sequence of commands', () => {
    const day = fc.integer({ min: 0, max: 400 }).map((n) => new Date(Date.UTC(2026, 7, 3) + n * 86_400_000).toISOString().slice(0, 10));
    const id = fc.constantFrom('a', 'b', 'c');
    const command: fc.Arbitrary<EmploymentRecordCommand> = fc.oneof(
      fc.constant(open({ referral: { referralId: REFERRAL, serviceType: 'JOB_PLACEMENT', acceptedBy: '22-EMPLOYMENT_CENTRE' } })),
      fc.record({ sessionId: id, heldOn: day, outcome: fc.constantFrom('INFORMED', 'NO_SHOW') }).map((d) => session(d)),
      fc.record({ enrolmentId: id, startOn: day }).map((d) => enrol({ ...d, expectedEndOn: '2027-12-31' })),
      fc.record({ enrolmentId: id, completedOn: day }).map((d) => complete(d)),
      fc.record({ enrolmentId: id, droppedOn: day }).map((d) => dropout(d)),
      fc.record({ placementId: id, startOn: day }).map((d) => startJob(d)),
      fc.record({ placementId: id, month: fc.constantFrom(3, 6, 12), checkedOn: day, stillWorking: fc.boolean() }).map((d) => followUp(d)),
      fc.record({ placementId: id, leftOn: day }).map((d) => leave(d)),
      day.map((closedOn) => closeRecord({ closedOn })),
    );

    it('keeps the rules: one training and one job at a time, nothing after closing, the referral reported at most once', () => {
      fc.assert(
        fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
          let state = initialState();
          let reports = 0;
          for (const c of commands) {
            const before = state;
            const result = decide(c, state, NOW);
            if (isDomainError(result)) continue;
            if (before.status === 'CLOSED') return false;
            reports += result.filter((e) => e.type === 'ReferralOutcomeReported').length;
            state = fold(employmentRecordDecider, result, state);
            if (Object.values(state.enrolments).filter((e) => e.status === 'ENROLLED').length > 1) return false;
            if (Object.values(state.placements).filter((p) => p.status === 'WORKING').length > 1) return false;
          }
          if (reports > 1) return false;
          // A record closed after it was opened from a referral has reported its outcome.
          return state.status !== 'CLOSED' || (reports === 1 && state.referralOutcome !== null);
        }),
        { numRuns: 300 },
      );
    });
  });
});
