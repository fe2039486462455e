import { httpErrorTable } from '@haidang/service-kit';

/**
 * How the employment service's domain errors read over HTTP, in one place. A broken rule is 422 with
 * its plain-words message (never personal data); registering what exists is a conflict (409).
 */
export const employmentRecordErrors = httpErrorTable({ resource: 'employment record', exampleVersion: 0, statuses: { 'already-registered': 409 } });
