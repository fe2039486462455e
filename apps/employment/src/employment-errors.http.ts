import { httpErrorTable } from '@haidang/service-kit';

/**
 * How the employment service's domain errors read over HTTP, in one place. A broken rule is 422 with
 * its plain-words message (never personal data); opening or registering what exists is a conflict (409).
 */
export const employmentRecordErrors = httpErrorTable({ resource: 'employment record', exampleVersion: 0, statuses: { 'already-open': 409 } });
export const trainingProviderErrors = httpErrorTable({
  resource: 'training provider',
  exampleVersion: 0,
  statuses: { 'already-registered': 409, 'not-registered': 404 },
});
export const employerErrors = httpErrorTable({ resource: 'employer', exampleVersion: 0, statuses: { 'already-registered': 409, 'not-registered': 404 } });
