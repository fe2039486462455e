import { domainErrors, type DomainError } from '@haidang/decider';

export const TRAINING_ERROR_MESSAGES = {
  'already-recorded': 'this training is already recorded',
  'missing-reference': 'the training id, province, organiser and topic must not be empty',
  'invalid-date': 'dates must be real calendar dates written as YYYY-MM-DD',
  'date-in-future': 'a training cannot be recorded before it is held',
  'no-participants': 'a training needs at least one group of participants',
  'duplicate-group': 'each group may be counted once',
  'invalid-count': 'participants are counted in whole numbers above 0',
  'agency-not-holder': 'on that date the recording department did not hold social-evils prevention',
} as const;

export type TrainingErrorCode = keyof typeof TRAINING_ERROR_MESSAGES;
export type TrainingError = DomainError<TrainingErrorCode>;
export const trainingError = domainErrors<TrainingErrorCode>(TRAINING_ERROR_MESSAGES);
