export * from './establishment.decider';
export * from './establishment.errors';
export * from './establishment.events';
