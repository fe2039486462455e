export * from './plan.commands';
export * from './plan.decider';
export * from './plan.errors';
export * from './plan.events';
