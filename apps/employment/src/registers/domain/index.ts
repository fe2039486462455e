export * from './registers';
