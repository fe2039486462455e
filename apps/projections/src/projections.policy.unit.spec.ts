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

  it('refuses every principal an action it does not name', () => {
    for (const p of representativePrincipals()) expect(projectionsPolicy.decide(p, 'indicators.erase')).toEqual({ allowed: false, reason: 'unknown-action' });
  });

  it('gives indicators to analysts only, and never to a facility, an employment centre, a court or an NGO', () => {
    for (const role of ROLES) expect(projectionsPolicy.decide(principal('22-PPC', [role], ['22']), 'indicators.read').allowed).toBe(role === 'analyst');
    for (const type of ['REHAB_FACILITY', 'EMPLOYMENT_CENTRE', 'COURT', 'NGO', 'SUPPORT_MODEL'] as const)
      for (const p of representativePrincipals({ agencyTypes: [type], roles: ROLES }))
        expect(projectionsPolicy.decide(p, 'indicators.read').allowed).toBe(false);
  });

  it('gives working lists to the agencies that work them, never to the PPC or an analyst', () => {
    const others = AGENCY_TYPES.filter((type) => !['COMMUNE', 'REHAB_FACILITY', 'EMPLOYMENT_CENTRE'].includes(type));
    for (const p of representativePrincipals({ agencyTypes: others, roles: ROLES })) expect(projectionsPolicy.decide(p, 'worklists.read').allowed).toBe(false);
    expect(projectionsPolicy.decide(principal('22-COMMUNE-06793', ['analyst'], ['06793']), 'worklists.read').allowed).toBe(false);
    expect(projectionsPolicy.decide(principal('22-COMMUNE-06793', ['caseworker'], ['06793']), 'worklists.read').allowed).toBe(true);
  });

  it('lets a commune reach its own commune only', () => {
    const commune = principal('22-COMMUNE-06793', ['caseworker'], ['06793']);
    expect(() => projectionsPolicy.assertInScope(commune, 'worklists.read', { unitCodes: ['06793'] }, jurisdiction)).not.toThrow();
    expect(() => projectionsPolicy.assertInScope(commune, 'worklists.read', { unitCodes: ['05977'] }, jurisdiction)).toThrow(AccessDeniedError);
  });
});
