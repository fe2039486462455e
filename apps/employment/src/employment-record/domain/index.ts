export * from './employment-record.commands';
export * from './employment-record.decider';
export * from './employment-record.errors';
export * from './employment-record.events';
export * from './employment.vocabulary';
export * from './follow-up-schedule';
