export * from './drug-user-management.decider';
export * from './drug-user-management.errors';
export * from './drug-user-management.rules';
