import { problemOf } from '@haidang/service-kit';
import { domainError, REFERRAL_ERRORS, type ReferralErrorCode } from './domain';
import { referralErrors } from './referral-errors.http';

const answer = (code: ReferralErrorCode, detail?: string) => {
  const exception = problemOf({ kind: 'rejected', error: domainError(code, detail) }, referralErrors);
  return { status: exception.getStatus(), body: exception.getResponse() as { type?: string; detail?: string } };
};

describe('referralErrors (the HTTP table of the referral’s domain errors)', () => {
  it('answers a broken rule 422 with the rule in plain words', () => {
    expect(answer('consent-or-legal-basis-required')).toMatchObject({
      status: 422,
      body: {
        type: 'urn:haidang:problem:consent-or-legal-basis-required',
        detail: "Sharing a person's data with a non-state agency needs the person's recorded consent or a legal basis.",
      },
    });
    expect(answer('receiver-cannot-provide-service', 'JOB_PLACEMENT goes to EMPLOYMENT_CENTRE').body.detail).toBe(
      'This type of agency does not provide the requested service on this date (JOB_PLACEMENT goes to EMPLOYMENT_CENTRE).',
    );
    expect(answer('agency-dissolved', 'receiver DOLISA').status).toBe(422);
  });

  it('answers 403 when the agency is not the party the rule names, 404 and 409 for the referral itself', () => {
    expect(answer('not-the-sender').status).toBe(403);
    expect(answer('not-the-receiver').status).toBe(403);
    expect(answer('not-a-party').status).toBe(403);
    expect(answer('referral-not-found').status).toBe(404);
    expect(answer('referral-already-exists')).toMatchObject({ status: 409, body: { detail: 'A referral with this id already exists.' } });
  });

  it('gives every other code 422', () => {
    const named = new Set(Object.keys(referralErrors.statuses ?? {}));
    for (const code of Object.keys(REFERRAL_ERRORS) as ReferralErrorCode[]) if (!named.has(code)) expect([code, answer(code).status]).toEqual([code, 422]);
  });

  it('answers a missing referral and a stale version as before', () => {
    expect(problemOf({ kind: 'not-found' }, referralErrors).getResponse()).toMatchObject({
      status: 404,
      type: 'urn:haidang:problem:not-found',
      detail: 'No such referral.',
    });
    expect(problemOf({ kind: 'version-conflict' }, referralErrors).getResponse()).toMatchObject({ status: 409, type: 'urn:haidang:problem:version-conflict' });
  });
});
