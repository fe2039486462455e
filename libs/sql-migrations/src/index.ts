export { applyMigrations, runMigrations, type Migration } from './run-migrations';
