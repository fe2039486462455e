export * from './canonical-json';
export * from './cooperation-record.commands';
export * from './cooperation-record.decider';
export * from './cooperation-record.errors';
export * from './cooperation-record.events';
export * from './record-figures';
