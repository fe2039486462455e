import { domainErrors, type DomainError } from '@haidang/decider';

export const SURVEY_ERROR_MESSAGES = {
  'already-recorded': 'this survey is already recorded',
  'missing-reference': 'the survey id, province and agency must not be empty',
  'invalid-date': 'dates must be real calendar dates written as YYYY-MM-DD',
  'date-in-future': 'a survey cannot end later than today',
  'period-reversed': 'the survey must not end before it starts',
  'no-results': 'a survey needs at least one result',
  'duplicate-result': 'each group may have one result per locality',
  'empty-sample': 'a sample must hold at least one person, counted in whole numbers',
  'aware-exceeds-sample': 'more people cannot be aware than were asked',
  'agency-not-holder': 'on that date the recording department did not hold social-evils prevention',
} as const;

export type SurveyErrorCode = keyof typeof SURVEY_ERROR_MESSAGES;
export type SurveyError = DomainError<SurveyErrorCode>;
export const surveyError = domainErrors<SurveyErrorCode>(SURVEY_ERROR_MESSAGES);
