import { AccessDeniedError, describeAuthorizationMatrix, representativePrincipals } from '@haidang/auth';
import { jurisdiction } from '@haidang/jurisdiction';
import { AGENCY_TYPES, parseAgencyCode, ROLES, type Agency, type Principal } from '@haidang/request-context';
import { projectionsPolicy } from './projections.policy';

describeAuthorizationMatrix(projectionsPolicy);

describe('projections policy', () => {
  const principal = (agency: string, roles: Principal['roles'], units: readonly string[]): Principal => ({
    sub: 'u1',
    agency: parseAgencyCode(agency) as Agency,
    roles,
    jurisdiction: units,
  });
  const manager = principal('22-PPC', ['caseworker'], ['22']);

  it('refuses every principal an action it does not name', () => {
    for (const p of representativePrincipals()) expect(projectionsPolicy.decide(p, 'exports.erase')).toEqual({ allowed: false, reason: 'unknown-action' });
  });

  it('gives every agency type but PPC nothing, whatever its roles', () => {
    const others = AGENCY_TYPES.filter((type) => type !== 'PPC');
    for (const p of representativePrincipals({ agencyTypes: others, roles: ROLES })) {
      for (const action of projectionsPolicy.actions) expect(projectionsPolicy.decide(p, action).allowed).toBe(false);
    }
  });

  it('gives PPC only to caseworkers and supervisors', () => {
    for (const role of ROLES) {
      const allowed = role === 'caseworker' || role === 'supervisor';
      for (const action of projectionsPolicy.actions) expect(projectionsPolicy.decide(principal('22-PPC', [role], ['22']), action).allowed).toBe(allowed);
    }
  });

  it('reaches a record only in a commune the token covers', () => {
    expect(() => projectionsPolicy.assertInScope(manager, 'exports.read', { unitCodes: ['06793'] }, jurisdiction)).not.toThrow();
    expect(() => projectionsPolicy.assertInScope(manager, 'exports.read', { unitCodes: ['05977'] }, jurisdiction)).toThrow(AccessDeniedError);
    // A record without a known place is in nobody's scope.
    expect(() => projectionsPolicy.assertInScope(manager, 'exports.read', { unitCodes: [] }, jurisdiction)).toThrow(AccessDeniedError);
  });
});
