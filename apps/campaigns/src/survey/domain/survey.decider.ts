import { isIsoDate, vietnamDateOf } from '@haidang/calendar';
import type { Decider } from '@haidang/decider';
import { actsForPreventionOn } from '../../agencies/domain/prevention-agencies';
import { surveyError, type SurveyError } from './survey.errors';
import type { SurveyEvent, SurveyRecorded } from './survey.events';

export type RecordSurvey = { readonly type: 'RecordSurvey'; readonly data: SurveyRecorded['data'] & { readonly recordedByType: string } };
export type SurveyCommand = RecordSurvey;

export type SurveyState = { readonly status: 'NONE' } | { readonly status: 'RECORDED'; readonly survey: SurveyRecorded['data'] };

export function initialState(): SurveyState {
  return { status: 'NONE' };
}

export type SurveyDecision = readonly SurveyEvent[] | SurveyError;

export function decide(command: SurveyCommand, state: SurveyState, now: Date): SurveyDecision {
  if (state.status !== 'NONE') return surveyError('already-recorded');
  const { recordedByType, ...d } = command.data;
  if ([d.surveyId, d.provinceCode, d.conductedBy].some((s) => s.trim() === '')) return surveyError('missing-reference');
  if (!isIsoDate(d.conductedFrom) || !isIsoDate(d.conductedTo)) return surveyError('invalid-date');
  if (d.conductedTo > vietnamDateOf(now)) return surveyError('date-in-future');
  if (d.conductedTo < d.conductedFrom) return surveyError('period-reversed');
  if (d.results.length === 0) return surveyError('no-results');
  if (new Set(d.results.map((r) => `${r.group}/${r.unitCode}`)).size !== d.results.length) return surveyError('duplicate-result');
  for (const r of d.results) {
    if (!Number.isInteger(r.sampleSize) || r.sampleSize < 1 || !Number.isInteger(r.aware) || r.aware < 0) return surveyError('empty-sample');
    if (r.aware > r.sampleSize) return surveyError('aware-exceeds-sample');
  }
  if (!actsForPreventionOn(recordedByType, d.conductedTo)) return surveyError('agency-not-holder');
  return [{ type: 'SurveyRecorded', data: d }];
}

export function evolve(_state: SurveyState, event: SurveyEvent): SurveyState {
  return { status: 'RECORDED', survey: event.data };
}

export const surveyDecider: Decider<SurveyCommand, SurveyEvent, SurveyState> = { initialState, decide, evolve };
