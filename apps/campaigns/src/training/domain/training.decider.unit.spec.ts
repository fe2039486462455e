import { fold, isDomainError } from '@haidang/decider';
import { decide, trainingDecider, type RecordTraining, type TrainingDecision } from './training.decider';
import { TRAINING_ERROR_MESSAGES, type TrainingErrorCode } from './training.errors';
import type { TrainingEvent } from './training.events';

const NOW = new Date('2022-12-20T03:00:00Z');
const training: RecordTraining['data'] = {
  trainingId: 't-1',
  provinceCode: '22',
  organiser: '22-DOLISA',
  heldOn: '2022-08-10',
  topic: 'Quản lý sau cai nghiện theo Luật Phòng, chống ma túy 2021',
  participants: [
    { group: 'REHAB_STAFF', count: 42 },
    { group: 'OFFICIALS', count: 60 },
  ],
  planId: null,
  recordedByType: 'DOLISA',
};
const record = (over: Partial<RecordTraining['data']> = {}): RecordTraining => ({ type: 'RecordTraining', data: { ...training, ...over } });
const { recordedByType: _r, ...data } = training;
const held: TrainingEvent = { type: 'TrainingHeld', data };
const given = (...events: TrainingEvent[]) => ({ when: (c: RecordTraining): TrainingDecision => decide(c, fold(trainingDecider, events), NOW) });
const errorCode = (d: TrainingDecision): string => (isDomainError(d) ? d.code : 'no error');

describe('training decider', () => {
  it('records who took part, as counts by group', () => {
    expect(given().when(record())).toEqual([held]);
  });

  const refusals: ReadonlyArray<readonly [TrainingErrorCode, readonly TrainingEvent[], RecordTraining]> = [
    ['already-recorded', [held], record()],
    ['missing-reference', [], record({ topic: ' ' })],
    ['invalid-date', [], record({ heldOn: '2022-02-29' })],
    ['date-in-future', [], record({ heldOn: '2022-12-21' })],
    ['no-participants', [], record({ participants: [] })],
    ['duplicate-group', [], record({ participants: [training.participants[0], training.participants[0]] as RecordTraining['data']['participants'] })],
    ['invalid-count', [], record({ participants: [{ group: 'TEACHERS', count: 0 }] })],
    ['agency-not-holder', [], record({ recordedByType: 'HEALTH' })],
  ];
  it.each(refusals)('refuses with %s', (code, events, command) => {
    expect(errorCode(given(...events).when(command))).toBe(code);
  });
  it('has a refusal above for every error code', () => {
    expect(refusals.map(([c]) => c).sort()).toEqual(Object.keys(TRAINING_ERROR_MESSAGES).sort());
  });
});
