import { AccessDeniedError, describeAuthorizationMatrix, representativePrincipals } from '@haidang/auth';
import { jurisdiction } from '@haidang/jurisdiction';
import { AGENCY_TYPES, parseAgencyCode, ROLES, type Agency, type Principal } from '@haidang/request-context';
import { campaignsPolicy } from './campaigns.policy';

describeAuthorizationMatrix(campaignsPolicy);

describe('campaigns policy', () => {
  const principal = (agency: string, roles: Principal['roles'], units: readonly string[]): Principal => ({
    sub: 'u1',
    agency: parseAgencyCode(agency) as Agency,
    roles,
    jurisdiction: units,
  });
  const manager = principal('22-COMMUNE-06793', ['caseworker'], ['06793']);

  it('refuses every principal an action it does not name', () => {
    for (const p of representativePrincipals()) expect(campaignsPolicy.decide(p, 'activities.erase')).toEqual({ allowed: false, reason: 'unknown-action' });
  });

  it('gives every agency type but COMMUNE nothing, whatever its roles', () => {
    const others = AGENCY_TYPES.filter((type) => type !== 'COMMUNE');
    for (const p of representativePrincipals({ agencyTypes: others, roles: ROLES })) {
      for (const action of campaignsPolicy.actions) expect(campaignsPolicy.decide(p, action).allowed).toBe(false);
    }
  });

  it('gives COMMUNE only to caseworkers and supervisors', () => {
    for (const role of ROLES) {
      const allowed = role === 'caseworker' || role === 'supervisor';
      for (const action of campaignsPolicy.actions)
        expect(campaignsPolicy.decide(principal('22-COMMUNE-06793', [role], ['06793']), action).allowed).toBe(allowed);
    }
  });

  it('reaches a record only in a commune the token covers', () => {
    expect(() => campaignsPolicy.assertInScope(manager, 'activities.read', { unitCodes: ['06793'] }, jurisdiction)).not.toThrow();
    expect(() => campaignsPolicy.assertInScope(manager, 'activities.read', { unitCodes: ['05977'] }, jurisdiction)).toThrow(AccessDeniedError);
    // A record without a known place is in nobody's scope.
    expect(() => campaignsPolicy.assertInScope(manager, 'activities.read', { unitCodes: [] }, jurisdiction)).toThrow(AccessDeniedError);
  });
});
