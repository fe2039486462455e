import { httpErrorTable } from '@haidang/service-kit';

/**
 * How the cases service's domain errors read over HTTP, in one place. Every broken rule of a rehab
 * case is 422 with its plain-words message (no personal data in it); the facts the service derives
 * name their own: a person that is gone is 404, an erased person's age cannot be known (422).
 */
export const rehabCaseErrors = httpErrorTable({ resource: 'rehab case', exampleVersion: 1, statuses: { 'person-not-found': 404 } });

/** Registering someone registered, erasing someone erased: 409. */
export const personErrors = httpErrorTable({
  resource: 'person',
  exampleVersion: 0,
  statuses: { 'already-registered': 409, 'already-erased': 409, 'already-duplicate-of-another': 409, 'not-a-duplicate-of-itself': 422 },
});
