import { httpErrorTable } from '@haidang/service-kit';

/**
 * How the campaigns service's domain errors read over HTTP, in one place. A broken rule is 422 with
 * its plain-words message; recording what exists already is a conflict (409).
 */
export const planErrors = httpErrorTable({ resource: 'plan', exampleVersion: 0, statuses: { 'already-adopted': 409 } });
export const activityErrors = httpErrorTable({ resource: 'activity', exampleVersion: 0, statuses: { 'already-recorded': 409 } });
export const supportModelErrors = httpErrorTable({ resource: 'support model', exampleVersion: 0, statuses: { 'already-founded': 409 } });
export const trainingErrors = httpErrorTable({ resource: 'training', exampleVersion: 0, statuses: { 'already-recorded': 409 } });
export const establishmentErrors = httpErrorTable({ resource: 'establishment', exampleVersion: 0, statuses: { 'already-registered': 409 } });
export const staffRosterErrors = httpErrorTable({ resource: 'staff register entry', exampleVersion: 0, statuses: { 'already-registered': 409 } });
export const surveyErrors = httpErrorTable({ resource: 'survey', exampleVersion: 0, statuses: { 'already-recorded': 409 } });

/** A fact the service derives, not a rule of a decider: a commune must be one the unit register knows. */
export const UNKNOWN_COMMUNE = { kind: 'DomainError', code: 'unknown-commune', message: 'no commune in force, or formerly in force, has that code' } as const;
/** A commune of another province than the record's. */
export const OTHER_PROVINCE = {
  kind: 'DomainError',
  code: 'communes-in-several-provinces',
  message: 'all communes of one record must lie in one province',
} as const;
