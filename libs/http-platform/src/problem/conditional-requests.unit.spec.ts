import { etagOf, idempotencyKeyFrom, versionConflict, versionFromIfMatch } from './conditional-requests';
import { ProblemHttpException } from './problem-details';

const person = { name: 'person', exampleVersion: 0 };
const problemOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return (error as ProblemHttpException).getResponse() as { status: number; detail?: string; errors?: { field: string }[] };
  }
  throw new Error('no problem thrown');
};

describe('conditional requests', () => {
  it('reads back the strong ETag it gives, quoted or not', () => {
    expect(etagOf(7)).toBe('"7"');
    for (const header of ['"7"', '7', ' "7" ']) expect(versionFromIfMatch(header, person)).toBe(7);
  });

  it('refuses a weak ETag with 412: If-Match compares strongly, a weak tag never matches (issue 10 §11)', () => {
    for (const header of ['W/"0"', 'W/"7"', 'w/"7"', ' W/7 ']) {
      expect(problemOf(() => versionFromIfMatch(header, person))).toMatchObject({
        status: 412,
        type: 'urn:haidang:problem:weak-etag',
        detail: expect.stringContaining('weak ETag'),
      });
    }
  });

  it('answers 428 without If-Match and 400 naming the header for an unreadable one', () => {
    expect(problemOf(() => versionFromIfMatch(undefined, person))).toMatchObject({
      status: 428,
      detail: 'Send If-Match with the ETag of the person you read.',
    });
    expect(problemOf(() => versionFromIfMatch('  ', person))).toMatchObject({ status: 428 });
    expect(problemOf(() => versionFromIfMatch('"abc"', person))).toMatchObject({ status: 400, errors: [expect.objectContaining({ field: 'If-Match' })] });
    expect(problemOf(() => versionFromIfMatch('"1234567890123456"', person))).toMatchObject({ status: 400 });
  });

  it('names the resource in a conflict', () => {
    expect(versionConflict('rehab case').getResponse()).toMatchObject({
      status: 409,
      detail: 'The rehab case changed since you read it. Read it again and retry.',
    });
  });

  it('takes bounded visible-ASCII Idempotency-Keys only', () => {
    expect(idempotencyKeyFrom(undefined)).toBeUndefined();
    expect(idempotencyKeyFrom('note-2026-0001')).toBe('note-2026-0001');
    expect(problemOf(() => idempotencyKeyFrom('short'))).toMatchObject({ status: 400, errors: [expect.objectContaining({ field: 'Idempotency-Key' })] });
    expect(problemOf(() => idempotencyKeyFrom('key with spaces ok?'))).toMatchObject({ status: 400 });
  });
});
