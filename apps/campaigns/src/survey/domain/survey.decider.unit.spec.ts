import { fold, isDomainError } from '@haidang/decider';
import { decide, surveyDecider, type RecordSurvey, type SurveyDecision } from './survey.decider';
import { SURVEY_ERROR_MESSAGES, type SurveyErrorCode } from './survey.errors';
import type { SurveyEvent } from './survey.events';

const NOW = new Date('2022-12-20T03:00:00Z');
const survey: RecordSurvey['data'] = {
  surveyId: 's-1',
  provinceCode: '22',
  conductedBy: '22-DOLISA',
  conductedFrom: '2022-11-01',
  conductedTo: '2022-11-30',
  planId: null,
  results: [
    { group: 'OFFICIALS', unitCode: '22', sampleSize: 400, aware: 262 },
    { group: 'ADULTS', unitCode: '06793', sampleSize: 1000, aware: 541 },
  ],
  recordedByType: 'DOLISA',
};
const record = (over: Partial<RecordSurvey['data']> = {}): RecordSurvey => ({ type: 'RecordSurvey', data: { ...survey, ...over } });
const { recordedByType: _r, ...data } = survey;
const recorded: SurveyEvent = { type: 'SurveyRecorded', data };
const given = (...events: SurveyEvent[]) => ({ when: (c: RecordSurvey): SurveyDecision => decide(c, fold(surveyDecider, events), NOW) });
const errorCode = (d: SurveyDecision): string => (isDomainError(d) ? d.code : 'no error');

describe('survey decider', () => {
  it('records the sample and the aware by group and locality', () => {
    expect(given().when(record())).toEqual([recorded]);
  });

  const refusals: ReadonlyArray<readonly [SurveyErrorCode, readonly SurveyEvent[], RecordSurvey]> = [
    ['already-recorded', [recorded], record()],
    ['missing-reference', [], record({ conductedBy: '' })],
    ['invalid-date', [], record({ conductedFrom: '2022-13-01' })],
    ['date-in-future', [], record({ conductedTo: '2022-12-21' })],
    ['period-reversed', [], record({ conductedFrom: '2022-12-01' })],
    ['no-results', [], record({ results: [] })],
    ['duplicate-result', [], record({ results: [survey.results[0], survey.results[0]] as RecordSurvey['data']['results'] })],
    ['empty-sample', [], record({ results: [{ group: 'ADULTS', unitCode: '22', sampleSize: 0, aware: 0 }] })],
    ['aware-exceeds-sample', [], record({ results: [{ group: 'ADULTS', unitCode: '22', sampleSize: 10, aware: 11 }] })],
    ['agency-not-holder', [], record({ recordedByType: 'HEALTH', conductedBy: '22-HEALTH' })],
  ];
  it.each(refusals)('refuses with %s', (code, events, command) => {
    expect(errorCode(given(...events).when(command))).toBe(code);
  });
  it('has a refusal above for every error code', () => {
    expect(refusals.map(([c]) => c).sort()).toEqual(Object.keys(SURVEY_ERROR_MESSAGES).sort());
  });
});
