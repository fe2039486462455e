import { httpErrorTable } from '@haidang/service-kit';

/**
 * How the projections service's domain errors read over HTTP, in one place. A broken rule is 422 with
 * its plain-words message (never personal data); registering what exists is a conflict (409).
 */
export const analystExportErrors = httpErrorTable({ resource: 'analyst export', exampleVersion: 0, statuses: { 'already-registered': 409 } });
