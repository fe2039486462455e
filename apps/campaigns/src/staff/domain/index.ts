export * from './staff-roster.decider';
export * from './staff-roster.errors';
export * from './staff-roster.events';
