import { QueryFailedError } from 'typeorm';
import { isTransientError } from './errors';

function pgError(code: string, message = 'boom'): Error {
  return Object.assign(new Error(message), { code });
}

describe('isTransientError', () => {
  it.each([
    ['connection terminated by pg_terminate_backend', pgError('57P01', 'terminating connection due to administrator command')],
    ['deadlock', pgError('40P01')],
    ['serialization failure', pgError('40001')],
    ['connection exception class 08', pgError('08006')],
    ['too many connections', pgError('53300')],
    ['socket reset', pgError('ECONNRESET')],
    ['node-postgres losing its connection', new Error('Connection terminated unexpectedly')],
    ['a released query runner', Object.assign(new Error('released'), { name: 'QueryRunnerAlreadyReleasedError' })],
  ])('retries %s', (_what, error) => {
    expect(isTransientError(error)).toBe(true);
  });

  it('looks inside TypeORM QueryFailedError and error causes', () => {
    expect(isTransientError(new QueryFailedError('SELECT 1', [], pgError('57P01')))).toBe(true);
    expect(isTransientError(new Error('handler gave up', { cause: new Error('Connection terminated') }))).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['bad input syntax', pgError('22P02')],
    ['a missing column', new QueryFailedError('SELECT x', [], pgError('42703'))],
    ['a handler bug', new TypeError("Cannot read properties of undefined (reading 'caseId')")],
    ['a thrown string', 'nope'],
    ['null', null],
  ])('does not retry %s forever', (_what, error) => {
    expect(isTransientError(error)).toBe(false);
  });

  it('survives a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isTransientError(a)).toBe(false);
  });
});
