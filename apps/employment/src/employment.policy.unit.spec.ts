import { AccessDeniedError, describeAuthorizationMatrix, representativePrincipals } from '@haidang/auth';
import { jurisdiction } from '@haidang/jurisdiction';
import { AGENCY_TYPES, parseAgencyCode, ROLES, type Agency, type Principal } from '@haidang/request-context';
import { employmentPolicy } from './employment.policy';

describeAuthorizationMatrix(employmentPolicy);

describe('employment policy', () => {
  const principal = (agency: string, roles: Principal['roles'], units: readonly string[]): Principal => ({
    sub: 'u1',
    agency: parseAgencyCode(agency) as Agency,
    roles,
    jurisdiction: units,
  });
  const manager = principal('22-EMPLOYMENT_CENTRE', ['caseworker'], ['22']);

  it('refuses every principal an action it does not name', () => {
    for (const p of representativePrincipals())
      expect(employmentPolicy.decide(p, 'employment-records.erase')).toEqual({ allowed: false, reason: 'unknown-action' });
  });

  it('gives every agency type but EMPLOYMENT_CENTRE nothing, whatever its roles', () => {
    const others = AGENCY_TYPES.filter((type) => type !== 'EMPLOYMENT_CENTRE');
    for (const p of representativePrincipals({ agencyTypes: others, roles: ROLES })) {
      for (const action of employmentPolicy.actions) expect(employmentPolicy.decide(p, action).allowed).toBe(false);
    }
  });

  it('gives EMPLOYMENT_CENTRE only to caseworkers and supervisors', () => {
    for (const role of ROLES) {
      const allowed = role === 'caseworker' || role === 'supervisor';
      for (const action of employmentPolicy.actions)
        expect(employmentPolicy.decide(principal('22-EMPLOYMENT_CENTRE', [role], ['22']), action).allowed).toBe(allowed);
    }
  });

  it('reaches a record only in a commune the token covers', () => {
    expect(() => employmentPolicy.assertInScope(manager, 'employment-records.read', { unitCodes: ['06793'] }, jurisdiction)).not.toThrow();
    expect(() => employmentPolicy.assertInScope(manager, 'employment-records.read', { unitCodes: ['05977'] }, jurisdiction)).toThrow(AccessDeniedError);
    // A record without a known place is in nobody's scope.
    expect(() => employmentPolicy.assertInScope(manager, 'employment-records.read', { unitCodes: [] }, jurisdiction)).toThrow(AccessDeniedError);
  });
});
