import { IdempotencyKeyReusedError, InvalidAppendError, StreamNotFoundError, WrongExpectedVersionError } from '@haidang/event-store';
import { RemoteServiceError, ServiceUnavailableError } from '@haidang/messaging';
import { SubjectErasedError } from '@haidang/pii';
import { BadRequestException, ForbiddenException, InternalServerErrorException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { problemFromBodyParserError } from './body-parser-errors';
import { DomainRuleViolation, problem, ProblemHttpException } from './problem-details';
import { problemFromError } from './problem-from-error';
import { safeErrorLog } from './send-problem';

describe('problemFromError', () => {
  it.each([
    [new WrongExpectedVersionError('Person-1', 3n, 4n), 409, 'wrong-expected-version'],
    [new WrongExpectedVersionError('Person-1', 3n, 'no_stream'), 409, 'wrong-expected-version'],
    [new IdempotencyKeyReusedError('k'), 422, 'idempotency-key-reused'],
    [new InvalidAppendError('Invalid stream name: "Nguyễn"'), 400, 'invalid-request'],
    [new StreamNotFoundError('Person-1'), 404, 'not-found'],
    [new SubjectErasedError('0b3c5a1e-4c1d-4b8e-9f00-aaaaaaaaaaaa'), 422, 'person-erased'],
    [new ServiceUnavailableError('referrals', 'referrals.create', 'no-responders'), 503, 'dependency-unavailable'],
    [new RemoteServiceError('referrals', 'referrals.accept', 409, 'wrong-expected-version', 'stale'), 409, 'wrong-expected-version'],
    [new RemoteServiceError('referrals', 'referrals.accept', 500, 'internal', 'failed'), 502, 'dependency-failed'],
    [new DomainRuleViolation('rehab-not-completed', 'Post-rehab management cannot start before rehab is completed.'), 422, 'domain-rule-violation'],
  ])('maps %p to %i', (error, status, code) => {
    const { problem: body } = problemFromError(error);
    expect(body.status).toBe(status);
    expect(body.type).toBe(`urn:haidang:problem:${code}`);
  });

  it('does not name the erased person’s id in the answer', () => {
    expect(JSON.stringify(problemFromError(new SubjectErasedError('0b3c5a1e-4c1d-4b8e-9f00-aaaaaaaaaaaa')).problem)).not.toContain('0b3c5a1e');
  });

  it('does not echo infra messages, which may quote input', () => {
    expect(JSON.stringify(problemFromError(new InvalidAppendError('Invalid stream name: "Nguyễn"')).problem)).not.toContain('Nguyễn');
  });

  it('maps a look-alike DomainRuleViolation from a domain library', () => {
    const error = Object.assign(new Error('A referral cannot be accepted twice.'), { name: 'DomainRuleViolation', rule: 'already-accepted' });
    expect(problemFromError(error)).toEqual({
      problem: expect.objectContaining({ status: 422, rule: 'already-accepted', detail: 'A referral cannot be accepted twice.' }),
      unexpected: false,
    });
  });

  it('answers an unknown error with a generic 500 and flags it as unexpected', () => {
    const result = problemFromError(new TypeError('Cannot read properties of undefined (reading "Lê Văn Tám")'));
    expect(result.unexpected).toBe(true);
    expect(result.problem.status).toBe(500);
    expect(JSON.stringify(result.problem)).not.toContain('Lê Văn Tám');
    expect(problemFromError('a string').problem.status).toBe(500);
  });

  it('keeps a problem body thrown in an HttpException', () => {
    const body = problem({ status: 422, code: 'custom', detail: 'kept' });
    expect(problemFromError(new ProblemHttpException(body)).problem).toBe(body);
  });

  it('turns other HttpExceptions into problems with their status and message', () => {
    expect(problemFromError(new ForbiddenException('Outside your jurisdiction')).problem).toEqual({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'Outside your jurisdiction',
    });
    expect(problemFromError(new BadRequestException()).problem).toEqual({ type: 'about:blank', title: 'Bad Request', status: 400 });
    expect(problemFromError(new ServiceUnavailableException('db host 10.0.0.5 down')).problem).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
    });
    expect(problemFromError(new InternalServerErrorException('secret')).problem.detail).not.toContain('secret');
  });

  it("does not repeat the URL of Nest's route-not-found message", () => {
    const { problem: body } = problemFromError(new NotFoundException('Cannot GET /api/v1/persons?q=Hoàng'));
    expect(JSON.stringify(body)).not.toContain('Hoàng');
    expect(body.status).toBe(404);
  });
});

describe('problemFromBodyParserError', () => {
  it.each([
    [{ type: 'entity.too.large', status: 413 }, 413],
    [{ type: 'entity.parse.failed', status: 400, message: 'Unexpected token N in "Nguyễn"' }, 400],
    [{ type: 'charset.unsupported', status: 415 }, 415],
    [{ type: 'request.aborted', status: 400 }, 400],
    [new Error('weird'), 500],
  ])('maps %p to %i without quoting the body', (error, status) => {
    const body = problemFromBodyParserError(error, '256kb');
    expect(body.status).toBe(status);
    expect(JSON.stringify(body)).not.toContain('Nguyễn');
  });
});

describe('safeErrorLog', () => {
  it('keeps name, code and stack frames, never the message', () => {
    const error = Object.assign(new Error('duplicate key (id_number)=(001234567890)'), { code: '23505' });
    const logged = safeErrorLog(error);
    expect(logged.errorName).toBe('Error');
    expect(logged.errorCode).toBe('23505');
    expect(logged.stack).toMatch(/^\s+at /);
    expect(JSON.stringify(logged)).not.toContain('001234567890');
  });
});
