import { fold, isDomainError } from '@haidang/decider';
import type { CooperationRecordCommand } from './cooperation-record.commands';
import { cooperationRecordDecider, decide, type CooperationRecordDecision } from './cooperation-record.decider';
import { COOPERATION_RECORD_ERROR_MESSAGES, type CooperationRecordErrorCode } from './cooperation-record.errors';
import type { CooperationRecordEvent, RecordDetails } from './cooperation-record.events';
import { figuresOf } from './record-figures';
import { namedPerson, NOW, register, registered, seal, sealed, translate, translated, translation, victimSupport } from './cooperation-record.test-fixtures';

const given = (...events: CooperationRecordEvent[]) => ({
  when: (command: CooperationRecordCommand, now: Date = NOW): CooperationRecordDecision => decide(command, fold(cooperationRecordDecider, events), now),
});
const errorCode = (decision: CooperationRecordDecision): string => (isDomainError(decision) ? decision.code : 'no error');

const exchange = (replyWithinWorkingDays: number | null): Extract<RecordDetails, { kind: 'INFORMATION_EXCHANGE' }> => ({
  kind: 'INFORMATION_EXCHANGE',
  channel: 'HOTLINE',
  direction: 'SENT',
  subject: 'WANTED_PERSON',
  replyWithinWorkingDays,
  replyDueOn: null,
});
const exchangeRecord = { kind: 'INFORMATION_EXCHANGE' as const, crossingCode: null, crossingProvinceCode: null, persons: null, occurredOn: '2020-03-06' };
const meeting: RecordDetails = { kind: 'MEETING', level: 'PROVINCE', place: 'Hữu Nghị', agreedPoints: [{ vi: 'Tuần tra mỗi tháng', zh: null }] };
const meetingRecord = { kind: 'MEETING' as const, details: meeting, persons: null };
const summary = (figures: { category: string; value: number }[], periodTo = '2020-12-31'): RecordDetails => ({
  kind: 'PERIOD_SUMMARY',
  periodFrom: '2015-01-01',
  periodTo,
  figures,
});
const target = (over: Partial<{ exists: boolean; sealed: boolean; kind: 'HANDOVER' | 'MEETING'; provinceCode: string }> = {}) => ({
  recordId: 'record-0',
  exists: true,
  sealed: true,
  kind: 'HANDOVER' as const,
  provinceCode: '20',
  ...over,
});

describe('cooperation record decider', () => {
  it('registers a handover naming its persons by id (each their own stream and key), both languages optional until the seal', () => {
    expect(given().when(register())).toEqual([registered()]);
    expect((given().when(register()) as CooperationRecordEvent[])[0]?.data).toMatchObject({ personIds: [namedPerson().personId] });
    expect(JSON.stringify(given().when(register()))).not.toContain('Lục Thị Hoa');
  });

  it('asks support for a trafficking victim received from China', () => {
    const decided = given().when(register({ persons: [namedPerson(victimSupport)] }));
    expect(decided).toEqual([registered({ persons: [namedPerson(victimSupport)] })]);
  });

  it('asks support need by need, without an agency for support as a whole', () => {
    const needs = [
      { need: 'SHELTER' as const, agency: '20-COMMUNE-05977' },
      { need: 'HEALTH' as const, agency: '20-HEALTH' },
    ];
    const byNeed = namedPerson({ ...victimSupport, supportAgency: null, needs });
    expect(given().when(register({ persons: [byNeed] }))).toEqual([registered({ persons: [byNeed] })]);
    // Needs without what cases registers the person with are incomplete.
    expect(given().when(register({ persons: [namedPerson({ needs })] }))).toMatchObject({ code: 'support-incomplete' });
  });

  it('derives the reply deadline on the working-day calendar (a weekend skipped)', () => {
    // Friday 2020-03-06 + 5 working days = Friday 2020-03-13.
    const decided = given().when(register({ ...exchangeRecord, details: exchange(5) }));
    expect(decided).toEqual([expect.objectContaining({ data: expect.objectContaining({ details: expect.objectContaining({ replyDueOn: '2020-03-13' }) }) })]);
  });

  it('skips the Tết holidays in a reply deadline', () => {
    // Monday 2020-01-20 + 5 working days crosses Tết 2020 (from 24 January): without it, Monday 27.
    const decided = given().when(register({ ...exchangeRecord, occurredOn: '2020-01-20', details: exchange(5) })) as CooperationRecordEvent[];
    const details = (decided[0] as { data: { details: { replyDueOn: string } } }).data.details;
    expect(details.replyDueOn > '2020-01-29').toBe(true);
  });

  it('marks a reply after the deadline as overdue', () => {
    const events = given().when(register({ ...exchangeRecord, details: exchange(5) })) as CooperationRecordEvent[];
    expect(given(...events).when({ type: 'RecordReply', data: { receivedOn: '2020-03-12' } })).toEqual([
      { type: 'ReplyReceived', data: { receivedOn: '2020-03-12', overdue: false } },
    ]);
    expect(given(...events).when({ type: 'RecordReply', data: { receivedOn: '2020-03-16' } })).toEqual([
      { type: 'ReplyReceived', data: { receivedOn: '2020-03-16', overdue: true } },
    ]);
  });

  it('seals a translated record, and then refuses every change in plain words', () => {
    expect(given(registered(), translated).when(seal())).toEqual([sealed]);
    const decision = given(registered(), translated, sealed).when(translate());
    expect(errorCode(decision)).toBe('record-sealed');
    expect(isDomainError(decision) && decision.message).toContain('register a new record that corrects it');
  });

  it('registers a correction of a sealed record of the same kind and province', () => {
    const decided = given().when(register({ recordId: 'record-2', corrects: target() }));
    expect(decided).toEqual([registered({ recordId: 'record-2', corrects: target() })]);
    expect((decided as CooperationRecordEvent[])[0]).toMatchObject({ data: { corrects: 'record-0' } });
  });

  it('translates the agreed points of a meeting one by one', () => {
    const zh = { ...translation, agreedPointsZh: ['每月联合巡逻'] };
    const events = [registered(meetingRecord), { type: 'TranslationAdded', data: zh } as CooperationRecordEvent];
    const state = fold(cooperationRecordDecider, events);
    expect(state.content?.details).toEqual({ ...meeting, agreedPoints: [{ vi: 'Tuần tra mỗi tháng', zh: '每月联合巡逻' }] });
    expect(given(...events).when(seal())).toEqual([{ type: 'RecordSealed', data: expect.objectContaining({ sealedOn: '2020-06-12' }) }]);
  });

  it('counts a joint case by offence, arrests and seizures by substance and unit', () => {
    expect(
      figuresOf({
        kind: 'JOINT_CASE',
        caseNumberVn: '1',
        caseNumberCn: '1',
        offence: 'DRUGS',
        arrests: [
          { nationality: 'VN', count: 2 },
          { nationality: 'CN', count: 1 },
        ],
        seizures: [
          { substance: 'HEROIN', quantity: 10, unit: 'BRICK' },
          { substance: 'HEROIN', quantity: 2, unit: 'BRICK' },
          { substance: 'SYNTHETIC_DRUGS', quantity: 300, unit: 'PILL' },
        ],
      }),
    ).toEqual([
      { category: 'JOINT_CASES_DRUGS', value: 1 },
      { category: 'ARRESTS', value: 3 },
      { category: 'SEIZED_HEROIN_BRICK', value: 12 },
      { category: 'SEIZED_SYNTHETIC_DRUGS_PILL', value: 300 },
    ]);
  });

  const patrol = (markerTo: string): RecordDetails => ({ kind: 'JOINT_PATROL', markerFrom: '1116', markerTo, vietnameseUnits: [], chineseUnits: [] });
  const noPersons = { persons: null };
  const refusals: ReadonlyArray<readonly [CooperationRecordErrorCode, readonly CooperationRecordEvent[], CooperationRecordCommand]> = [
    ['already-registered', [registered()], register()],
    ['not-registered', [], seal()],
    ['record-sealed', [registered(), translated, sealed], seal('2020-06-13')],
    ['invalid-date', [], register({ occurredOn: '2020-02-30' })],
    ['date-in-future', [], register({ occurredOn: '2026-09-02' })],
    ['empty-text', [], register({ vi: { title: ' ', body: 'x' } })],
    ['unknown-code', [], register({ unknownCodes: ['GX-NOPE'] })],
    ['crossing-required', [], register({ crossingCode: null, crossingProvinceCode: null })],
    ['crossing-of-other-province', [], register({ crossingProvinceCode: '22' })],
    ['details-of-other-kind', [], register({ kind: 'MEETING' })],
    ['persons-outside-handover', [], register({ kind: 'MEETING', details: meeting })],
    [
      'too-many-persons',
      [],
      register({ persons: [1, 2, 3].map((n) => namedPerson({ personId: `7a1d2c3e-0000-4000-8000-00000000000${n}`, fullName: `P${n}` })) }),
    ],
    ['support-incomplete', [], register({ persons: [namedPerson({ supportAgency: '20-DOLISA' })] })],
    ['support-not-applicable', [], register({ details: { ...handoverDetailsOf(), category: 'WANTED_PERSON' }, persons: [namedPerson(victimSupport)] })],
    ['minutes-before-handover', [], register({ details: { ...handoverDetailsOf(), minutesSignedOn: '2020-06-11' } })],
    ['marker-range', [], register({ kind: 'JOINT_PATROL', details: patrol(' '), ...noPersons })],
    [
      'empty-case',
      [],
      register({
        kind: 'JOINT_CASE',
        details: { kind: 'JOINT_CASE', caseNumberVn: '1', caseNumberCn: '1', offence: 'DRUGS', arrests: [], seizures: [] },
        ...noPersons,
      }),
    ],
    ['period-reversed', [], register({ kind: 'PERIOD_SUMMARY', details: summary([{ category: 'ARRESTS', value: 1 }], '2014-12-31'), ...noPersons })],
    ['empty-summary', [], register({ kind: 'PERIOD_SUMMARY', details: summary([{ category: 'NOT_A_CATEGORY', value: 1 }]), ...noPersons })],
    ['no-reply-asked', [registered()], { type: 'RecordReply', data: { receivedOn: '2020-06-13' } }],
    [
      'reply-already-received',
      [
        registered({ ...exchangeRecord, details: { ...exchange(5), replyDueOn: '2020-03-13' } }),
        { type: 'ReplyReceived', data: { receivedOn: '2020-03-10', overdue: false } },
      ],
      { type: 'RecordReply', data: { receivedOn: '2020-03-11' } },
    ],
    [
      'reply-before-exchange',
      [registered({ ...exchangeRecord, details: { ...exchange(5), replyDueOn: '2020-03-13' } })],
      { type: 'RecordReply', data: { receivedOn: '2020-03-05' } },
    ],
    ['translation-required', [registered()], seal()],
    ['translation-incomplete', [registered(meetingRecord)], translate()],
    ['correction-target-missing', [], register({ corrects: target({ exists: false }) })],
    ['correction-target-not-sealed', [], register({ corrects: target({ sealed: false }) })],
    ['correction-of-other-kind', [], register({ corrects: target({ kind: 'MEETING' }) })],
  ];

  it.each(refusals)('refuses with %s', (code, events, command) => {
    expect(errorCode(given(...events).when(command))).toBe(code);
  });

  it('refuses a victim’s date of birth in the future or not a date', () => {
    const born = (dateOfBirth: string) => register({ persons: [namedPerson({ ...victimSupport, support: { ...victimSupport.support, dateOfBirth } })] });
    expect(errorCode(given().when(born('2027-01-01')))).toBe('date-in-future');
    expect(errorCode(given().when(born('2001-02-30')))).toBe('invalid-date');
  });

  it('has a refusal above for every error code', () => {
    expect(refusals.map(([code]) => code).sort()).toEqual(Object.keys(COOPERATION_RECORD_ERROR_MESSAGES).sort());
  });
});

function handoverDetailsOf(): Extract<RecordDetails, { kind: 'HANDOVER' }> {
  return { kind: 'HANDOVER', direction: 'RECEIVED_FROM_CHINA', category: 'TRAFFICKING_VICTIM', count: 2, minutesNumber: '1', minutesSignedOn: '2020-06-12' };
}
