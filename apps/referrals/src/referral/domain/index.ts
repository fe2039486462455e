export * from './referral-catalogue.data';
export * from './referral-catalogue';
export * from './reason-codes.data';
export * from './reason-codes';
export * from './referral.commands';
export * from './referral.errors';
export * from './referral.events';
export * from './referral.decider';
