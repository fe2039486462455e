export * from './analyst-export.commands';
export * from './analyst-export.decider';
export * from './analyst-export.errors';
export * from './analyst-export.events';
