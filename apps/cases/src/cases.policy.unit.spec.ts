import { describeAuthorizationMatrix } from '@haidang/auth';
import type { Agency, Principal } from '@haidang/request-context';
import { parseAgencyCode } from '@haidang/request-context';
import { assertManagesForm, assertManagesUndecidedCase, casesPolicy } from './cases.policy';

describeAuthorizationMatrix(casesPolicy);

describe('cases policy', () => {
  const principal = (agency: string, roles: Principal['roles']): Principal => ({
    sub: 'u1',
    agency: parseAgencyCode(agency) as Agency,
    roles,
    jurisdiction: ['22'],
  });

  it('gives the provincial People’s Committee no person-level action', () => {
    for (const action of casesPolicy.actions)
      expect(casesPolicy.decide(principal('22-PPC', ['analyst', 'supervisor', 'caseworker']), action).allowed).toBe(false);
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

  it('lets the health service manage substitution therapy only', () => {
    const health = principal('22-HEALTH', ['caseworker']);
    expect(() => assertManagesForm(health, 'SUBSTITUTION_THERAPY')).not.toThrow();
    expect(() => assertManagesForm(health, 'VOLUNTARY_COMMUNITY')).toThrow();
    expect(() => assertManagesForm(principal('22-COMMUNE-06793', ['caseworker']), 'SUBSTITUTION_THERAPY')).toThrow();
    expect(casesPolicy.decide(health, 'rehab-cases.manage').allowed).toBe(true);
  });

  it('lets the commune start post-rehab management of a facility case, and no other step of it', () => {
    const commune = principal('22-COMMUNE-06793', ['caseworker']);
    for (const form of ['VOLUNTARY_FACILITY', 'COMPULSORY_FACILITY', 'CEDEMEX_PILOT'] as const) {
      expect(() => assertManagesForm(commune, form, 'StartPostRehabManagement')).not.toThrow();
      expect(() => assertManagesForm(commune, form, 'CompleteRehab')).toThrow();
      expect(() => assertManagesForm(commune, form)).toThrow();
    }
    expect(() => assertManagesForm(commune, 'SUBSTITUTION_THERAPY', 'StartPostRehabManagement')).toThrow();
    expect(() => assertManagesForm(principal('22-POLICE', ['caseworker']), 'COMPULSORY_FACILITY', 'StartPostRehabManagement')).toThrow();
  });

  it('lets only agencies that manage some form register or manage a case without a form', () => {
    expect(() => assertManagesUndecidedCase(principal('22-COMMUNE-06793', ['caseworker']))).not.toThrow();
    expect(() => assertManagesUndecidedCase(principal('22-REHAB_FACILITY', ['caseworker']))).not.toThrow();
    expect(() => assertManagesUndecidedCase(principal('22-POLICE', ['caseworker']))).toThrow();
    expect(() => assertManagesUndecidedCase(principal('22-DOLISA', ['caseworker']))).toThrow();
  });
});
