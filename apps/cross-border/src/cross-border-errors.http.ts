import { httpErrorTable } from '@haidang/service-kit';

/**
 * How the cross-border service's domain errors read over HTTP, in one place. A broken rule is 422 with
 * its plain-words message (never personal data), a sealed record's refusal included; registering what
 * exists is a conflict (409).
 */
export const cooperationRecordErrors = httpErrorTable({ resource: 'cooperation record', exampleVersion: 0, statuses: { 'already-registered': 409 } });
