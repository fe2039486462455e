import { problem, ProblemHttpException, versionConflict, versionFromIfMatch as versionFromIfMatchOf } from '@haidang/http-platform';
import type { DomainError } from './domain';

export { etagOf, idempotencyKeyFrom, type HeaderSink } from '@haidang/http-platform';

/** `If-Match` → the version the client decided on (428 missing, 400 unreadable). */
export const versionFromIfMatch = (header: string | undefined): number => versionFromIfMatchOf(header, { name: 'rehab case', exampleVersion: 1 });

export const staleVersion = (): ProblemHttpException => versionConflict('rehab case');

export function caseNotFound(): ProblemHttpException {
  return new ProblemHttpException(problem({ status: 404, code: 'not-found', detail: 'No such rehab case.' }));
}

export function personNotFound(): ProblemHttpException {
  return new ProblemHttpException(problem({ status: 404, code: 'person-not-found', detail: 'No such person.' }));
}

/** Every broken rule of the decider is a 422 carrying its plain-words message (no personal data in it). */
export function domainErrorToHttp(error: DomainError): ProblemHttpException {
  return new ProblemHttpException(problem({ status: 422, code: error.code, detail: error.message }));
}
