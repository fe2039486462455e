import { internalErrorProblem, isProblemDetails, problem, ProblemHttpException, problemType, statusTitle, validationProblem } from './problem-details';

describe('problem builders', () => {
  it('uses about:blank and the status phrase when no code is given (RFC 9457 §4.2.1)', () => {
    expect(problem({ status: 404 })).toEqual({ type: 'about:blank', title: 'Not Found', status: 404 });
  });

  it('names the problem type by code and keeps extensions beside the standard members', () => {
    expect(problem({ status: 409, code: 'wrong-expected-version', title: 'Changed', detail: 'Retry', currentVersion: '4' })).toEqual({
      type: 'urn:haidang:problem:wrong-expected-version',
      title: 'Changed',
      status: 409,
      detail: 'Retry',
      currentVersion: '4',
    });
  });

  it('refuses a status that is not an error', () => {
    expect(() => problem({ status: 200 })).toThrow(RangeError);
    expect(() => problem({ status: 600 })).toThrow(RangeError);
  });

  it('builds a 400 naming each bad field', () => {
    const body = validationProblem([{ field: 'residence.communeCode', message: 'must be 5 digits' }]);
    expect(body).toMatchObject({
      status: 400,
      type: problemType('validation-error'),
      errors: [{ field: 'residence.communeCode', message: 'must be 5 digits' }],
    });
  });

  it('builds a 500 that says nothing of the cause', () => {
    const body = internalErrorProblem();
    expect(body.status).toBe(500);
    expect(Object.keys(body).sort()).toEqual(['detail', 'status', 'title', 'type']);
  });

  it('has titles for the statuses the platform answers with', () => {
    expect([400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 502, 503].map(statusTitle)).not.toContain('Client Error');
    expect(statusTitle(499)).toBe('Client Error');
    expect(statusTitle(599)).toBe('Server Error');
  });

  it('recognises a problem body, and a ProblemHttpException carries one with its status', () => {
    const body = problem({ status: 422, code: 'x' });
    expect(isProblemDetails(body)).toBe(true);
    expect(isProblemDetails({ statusCode: 400, message: 'Bad Request' })).toBe(false);
    const exception = new ProblemHttpException(body);
    expect(exception.getStatus()).toBe(422);
    expect(exception.getResponse()).toBe(body);
  });
});
