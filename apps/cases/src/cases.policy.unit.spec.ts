import { describeAuthorizationMatrix } from '@haidang/auth';
import type { Agency, Principal } from '@haidang/request-context';
import { parseAgencyCode } from '@haidang/request-context';
import { assertManagesForm, casesPolicy } from './cases.policy';

describeAuthorizationMatrix(casesPolicy);

describe('cases policy', () => {
  const principal = (agency: string, roles: Principal['roles']): Principal => ({ sub: 'u1', agency: parseAgencyCode(agency) as Agency, roles, jurisdiction: ['22'] });

  it('gives the provincial People’s Committee no person-level action', () => {
    for (const action of casesPolicy.actions) expect(casesPolicy.decide(principal('22-PPC', ['analyst', 'supervisor', 'caseworker']), action).allowed).toBe(false);
  });

  it('lets only DOLISA data protection erase', () => {
    expect(casesPolicy.decide(principal('22-DOLISA', ['data-protection']), 'persons.erase').allowed).toBe(true);
    expect(casesPolicy.decide(principal('22-DOLISA', ['supervisor']), 'persons.erase').allowed).toBe(false);
    expect(casesPolicy.decide(principal('22-COMMUNE-06793', ['data-protection']), 'persons.erase').allowed).toBe(false);
  });

  it('lets the commune manage community rehab only, the facility facility stays only, and the police only read', () => {
    const commune = principal('22-COMMUNE-06793', ['caseworker']);
    const facility = principal('22-REHAB_FACILITY', ['caseworker']);
    const police = principal('22-POLICE', ['caseworker']);
    expect(() => assertManagesForm(commune, 'VOLUNTARY_COMMUNITY')).not.toThrow();
    expect(() => assertManagesForm(commune, 'COMPULSORY_FACILITY')).toThrow();
    expect(() => assertManagesForm(facility, 'COMPULSORY_FACILITY')).not.toThrow();
    expect(() => assertManagesForm(facility, 'VOLUNTARY_COMMUNITY')).toThrow();
    expect(() => assertManagesForm(police, 'VOLUNTARY_COMMUNITY')).toThrow();
    expect(casesPolicy.decide(police, 'rehab-cases.read').allowed).toBe(true);
    expect(casesPolicy.decide(police, 'rehab-cases.manage').allowed).toBe(false);
    expect(casesPolicy.decide(police, 'rehab-cases.register').allowed).toBe(false);
  });
});
