import { problem, ProblemHttpException, versionConflict, versionFromIfMatch as versionFromIfMatchOf } from '@haidang/http-platform';
import type { PersonError } from './person.decider';

export { etagOf, idempotencyKeyFrom, type HeaderSink } from '@haidang/http-platform';

/** `If-Match` → the version the client decided on (428 missing, 400 unreadable). */
export const versionFromIfMatch = (header: string | undefined): number => versionFromIfMatchOf(header, { name: 'person', exampleVersion: 0 });

export const staleVersion = (): ProblemHttpException => versionConflict('person');

export function notFound(): ProblemHttpException {
  return new ProblemHttpException(problem({ status: 404, code: 'not-found', detail: 'No such person.' }));
}

/** The decider's named errors → HTTP, in one place. */
export function personErrorToHttp(error: PersonError): ProblemHttpException {
  switch (error) {
    case 'person-not-found':
      return notFound();
    case 'person-already-registered':
      return new ProblemHttpException(problem({ status: 409, code: 'already-registered', detail: 'This person is already registered.' }));
    case 'person-already-erased':
      return new ProblemHttpException(problem({ status: 409, code: 'already-erased', detail: 'This person’s personal data has already been erased.' }));
  }
}
