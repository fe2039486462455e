import { problem, ProblemHttpException, versionConflict, versionFromIfMatch as versionFromIfMatchOf } from '@haidang/http-platform';
import type { DomainError } from './domain';

export { etagOf, idempotencyKeyFrom, type HeaderSink } from '@haidang/http-platform';

/** `If-Match` → the version the client decided on (428 missing, 400 unreadable). */
export const versionFromIfMatch = (header: string | undefined): number => versionFromIfMatchOf(header, { name: 'referral', exampleVersion: 0 });

export const staleVersion = (): ProblemHttpException => versionConflict('referral');

/** Also the answer to an agency that is no party to the referral: its existence is not revealed. */
export function referralNotFound(): ProblemHttpException {
  return new ProblemHttpException(problem({ status: 404, code: 'not-found', detail: 'No such referral.' }));
}

/**
 * The decider's named errors → HTTP, in one place: the status the domain gives each rule (403 not
 * the party the rule names, 404, 409, 422 a broken rule) with its plain-words message.
 */
export function domainErrorToHttp(error: DomainError): ProblemHttpException {
  return new ProblemHttpException(problem({ status: error.status, code: error.code, detail: capitalise(error.message) }));
}

const capitalise = (text: string): string => (text === '' ? text : `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}.`);
