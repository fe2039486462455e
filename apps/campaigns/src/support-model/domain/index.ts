export * from './support-model.commands';
export * from './support-model.decider';
export * from './support-model.errors';
export * from './support-model.events';
