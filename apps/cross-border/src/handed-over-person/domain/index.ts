export * from './handed-over-person.events';
export * from './handed-over-person.decider';
