export * from './activity.commands';
export * from './activity.decider';
export * from './activity.errors';
export * from './activity.events';
export * from './campaign-months';
