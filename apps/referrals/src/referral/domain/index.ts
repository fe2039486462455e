export * from './referral-catalogue.data';
export * from './referral-catalogue';
export * from './referral.commands';
export * from './referral.errors';
export * from './referral.events';
export * from './referral.decider';
