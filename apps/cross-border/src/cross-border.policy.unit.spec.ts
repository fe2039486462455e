import { AccessDeniedError, describeAuthorizationMatrix, representativePrincipals } from '@haidang/auth';
import { jurisdiction } from '@haidang/jurisdiction';
import { AGENCY_TYPES, parseAgencyCode, ROLES, type Agency, type Principal } from '@haidang/request-context';
import { crossBorderPolicy } from './cross-border.policy';

describeAuthorizationMatrix(crossBorderPolicy);

describe('cross-border policy', () => {
  const principal = (agency: string, roles: Principal['roles'], units: readonly string[]): Principal => ({
    sub: 'u1',
    agency: parseAgencyCode(agency) as Agency,
    roles,
    jurisdiction: units,
  });
  const manager = principal('22-BORDER_GUARD', ['caseworker'], ['22']);

  it('refuses every principal an action it does not name', () => {
    for (const p of representativePrincipals()) expect(crossBorderPolicy.decide(p, 'records.erase')).toEqual({ allowed: false, reason: 'unknown-action' });
  });

  it('gives every agency type but BORDER_GUARD nothing, whatever its roles', () => {
    const others = AGENCY_TYPES.filter((type) => type !== 'BORDER_GUARD');
    for (const p of representativePrincipals({ agencyTypes: others, roles: ROLES })) {
      for (const action of crossBorderPolicy.actions) expect(crossBorderPolicy.decide(p, action).allowed).toBe(false);
    }
  });

  it('gives BORDER_GUARD only to caseworkers and supervisors', () => {
    for (const role of ROLES) {
      const allowed = role === 'caseworker' || role === 'supervisor';
      for (const action of crossBorderPolicy.actions)
        expect(crossBorderPolicy.decide(principal('22-BORDER_GUARD', [role], ['22']), action).allowed).toBe(allowed);
    }
  });

  it('reaches a record only in a commune the token covers', () => {
    expect(() => crossBorderPolicy.assertInScope(manager, 'records.read', { unitCodes: ['06793'] }, jurisdiction)).not.toThrow();
    expect(() => crossBorderPolicy.assertInScope(manager, 'records.read', { unitCodes: ['05977'] }, jurisdiction)).toThrow(AccessDeniedError);
    // A record without a known place is in nobody's scope.
    expect(() => crossBorderPolicy.assertInScope(manager, 'records.read', { unitCodes: [] }, jurisdiction)).toThrow(AccessDeniedError);
  });
});
