import { defineAggregate, type AggregateStore } from '@haidang/service-kit';
import { SURVEY_AGGREGATE, SURVEY_EVENT_SCHEMA_VERSIONS, surveyDecider, surveyError, type SurveyCommand, type SurveyEvent, type SurveyState } from './domain';

/** Streams `Survey-<uuid>`: counts only. */
export const survey = defineAggregate({
  service: 'campaigns',
  name: SURVEY_AGGREGATE,
  decider: surveyDecider,
  schemaVersions: SURVEY_EVENT_SCHEMA_VERSIONS,
  exists: (state) => state.status !== 'NONE',
  alreadyExists: surveyError('already-recorded'),
});

export type SurveyStore = AggregateStore<SurveyCommand, SurveyEvent, SurveyState>;
export const SURVEY_STORE = Symbol('SURVEY_STORE');
