import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { parseAgencyCode, type Agency, type Principal } from '@haidang/request-context';
import { AccessDeniedError } from '../identity/errors';
import { definePolicy } from '../policy/policy';
import { AUTHORIZE_ACTION } from './decorators';
import { PolicyGuard } from './guards';

const rules = {
  'referrals.create': { agencyTypes: ['DOLISA', 'HEALTH', 'HOME_AFFAIRS'], roles: ['caseworker'], scope: 'any-in-province' },
} as const;

function contextFor(principal: Principal): ExecutionContext {
  const request = { principal, headers: {} };
  const response = { setHeader: () => undefined };
  const handler = () => undefined;
  Reflect.defineMetadata(AUTHORIZE_ACTION, 'referrals.create', handler);
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
}

const officer = (code: string): Principal => ({ sub: 'u', agency: parseAgencyCode(code) as Agency, roles: ['caseworker'], jurisdiction: ['22'] });
/** 10:00 in Vietnam on `day`. */
const at = (day: string) => () => new Date(`${day}T03:00:00Z`);
/** 23:30 UTC on 2025-02-28 is already 1 March in Vietnam. */
const lateEvening = () => new Date('2025-02-28T17:30:00Z');

describe('PolicyGuard: agency types with end dates (ADR 0010)', () => {
  const guard = (clock: () => Date, options = {}) => new PolicyGuard(new Reflector(), definePolicy(rules, options), clock);
  const refusal = (run: () => unknown) => {
    try {
      run();
      return 'allowed';
    } catch (error) {
      return error instanceof AccessDeniedError ? error.reason : 'other error';
    }
  };

  it('lets DOLISA act until 2025-02-28 and refuses it from 2025-03-01 (the day in Vietnam)', () => {
    expect(refusal(() => guard(at('2025-02-28')).canActivate(contextFor(officer('22-DOLISA'))))).toBe('allowed');
    expect(refusal(() => guard(at('2025-03-01')).canActivate(contextFor(officer('22-DOLISA'))))).toBe('agency-dissolved');
    expect(refusal(() => guard(lateEvening).canActivate(contextFor(officer('22-DOLISA'))))).toBe('agency-dissolved');
  });

  it('lets the receiving departments act on both sides of the change', () => {
    for (const day of ['2025-02-28', '2025-03-01', '2026-12-06']) {
      expect(refusal(() => guard(at(day)).canActivate(contextFor(officer('22-HEALTH'))))).toBe('allowed');
      expect(refusal(() => guard(at(day)).canActivate(contextFor(officer('22-HOME_AFFAIRS'))))).toBe('allowed');
    }
  });

  it('leaves the check to the deciders where the policy says records carry their own date', () => {
    expect(refusal(() => guard(at('2026-12-06'), { agencyCheckedOnRecordDate: true }).canActivate(contextFor(officer('22-DOLISA'))))).toBe('allowed');
  });

  it('says so in a problem of its own type', () => {
    const error = new AccessDeniedError('agency-dissolved');
    expect(error.problem).toEqual({
      type: 'urn:haidang:problem:agency-dissolved',
      title: 'Forbidden',
      status: 403,
      detail: expect.stringMatching(/no longer exists/),
    });
    expect(new AccessDeniedError('role').problem.type).toBe('about:blank');
  });
});
