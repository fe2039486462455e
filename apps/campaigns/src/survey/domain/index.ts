export * from './survey.decider';
export * from './survey.errors';
export * from './survey.events';
