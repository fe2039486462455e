export * from './age-group';
export * from './cedemex-pilot';
export * from './legal-regimes';
export * from './local-date';
export * from './rehab-case.commands';
export * from './rehab-case.errors';
export * from './rehab-case.events';
export * from './rehab-case.decider';
