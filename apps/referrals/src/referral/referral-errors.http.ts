import { httpErrorTable } from '@haidang/service-kit';
import type { ReferralErrorCode } from './domain';

/**
 * How the referral's domain errors read over HTTP, in one place: 422 a broken rule (the default),
 * 403 the acting agency is not the party the rule names, 404 no such referral, 409 the referral
 * already exists (a repeated create with another body). The detail is the rule in plain words.
 */
export const referralErrors = httpErrorTable({
  resource: 'referral',
  exampleVersion: 0,
  statuses: {
    'referral-already-exists': 409,
    'referral-not-found': 404,
    'not-the-sender': 403,
    'not-the-receiver': 403,
    'not-a-party': 403,
  } satisfies Partial<Record<ReferralErrorCode, 403 | 404 | 409>>,
  detail: (error) => capitalise(error.message),
});

const capitalise = (text: string): string => (text === '' ? text : `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}.`);
