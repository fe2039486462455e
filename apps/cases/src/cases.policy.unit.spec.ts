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

  it('lets only the data protection officer of DOLISA (until 2025-02-28) or the provincial police (since) erase', () => {
    expect(casesPolicy.decide(principal('22-DOLISA', ['data-protection']), 'persons.erase', '2025-02-28').allowed).toBe(true);
    expect(casesPolicy.decide(principal('22-DOLISA', ['data-protection']), 'persons.erase', '2025-03-01').allowed).toBe(false);
    expect(casesPolicy.decide(principal('22-POLICE', ['data-protection']), 'persons.erase').allowed).toBe(true);
    expect(casesPolicy.decide(principal('22-DOLISA', ['supervisor']), 'persons.erase').allowed).toBe(false);
    expect(casesPolicy.decide(principal('22-COMMUNE-06793', ['data-protection']), 'persons.erase').allowed).toBe(false);
  });

  it('lets the commune manage community rehab (and its Cedemex pilot cases) only, the facility facility stays only, and the provincial police no form', () => {
    const commune = principal('22-COMMUNE-06793', ['caseworker']);
    const facility = principal('22-REHAB_FACILITY', ['caseworker']);
    const police = principal('22-POLICE', ['caseworker']);
    expect(() => assertManagesForm(commune, 'VOLUNTARY_COMMUNITY')).not.toThrow();
    expect(() => assertManagesForm(commune, 'COMPULSORY_FACILITY')).toThrow();
    expect(() => assertManagesForm(facility, 'COMPULSORY_FACILITY')).not.toThrow();
    expect(() => assertManagesForm(facility, 'VOLUNTARY_COMMUNITY')).toThrow();
    expect(() => assertManagesForm(commune, 'CEDEMEX_PILOT')).not.toThrow();
    expect(() => assertManagesForm(police, 'VOLUNTARY_COMMUNITY')).toThrow();
    expect(() => assertManagesForm(police, 'COMPULSORY_FACILITY', 'CompleteRehab')).toThrow();
    expect(casesPolicy.decide(police, 'rehab-cases.read').allowed).toBe(true);
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
    }
    // A Cedemex case is the pilot commune's own (it registers its cases), so only facility stays are out.
    for (const form of ['VOLUNTARY_FACILITY', 'COMPULSORY_FACILITY'] as const) {
      expect(() => assertManagesForm(commune, form, 'CompleteRehab')).toThrow();
      expect(() => assertManagesForm(commune, form)).toThrow();
    }
    expect(() => assertManagesForm(commune, 'SUBSTITUTION_THERAPY', 'StartPostRehabManagement')).toThrow();
    expect(() => assertManagesForm(principal('22-POLICE', ['caseworker']), 'COMPULSORY_FACILITY', 'StartPostRehabManagement')).toThrow();
  });

  it('gives the commune police the compulsory-rehab dossier: register a case without a form and record its determination, nothing more', () => {
    const communePolice: Principal = { ...principal('22-COMMUNE_POLICE', ['caseworker']), jurisdiction: ['06793'] };
    for (const action of ['persons.register', 'persons.read', 'rehab-cases.register', 'rehab-cases.manage', 'rehab-cases.read', 'deadlines.read'] as const)
      expect(casesPolicy.decide(communePolice, action).allowed).toBe(true);
    expect(() => assertManagesUndecidedCase(communePolice)).not.toThrow();
    expect(() => assertManagesUndecidedCase(communePolice, 'DetermineAddiction')).not.toThrow();
    expect(() => assertManagesUndecidedCase(communePolice, 'DecideRehabForm')).toThrow();
    expect(() => assertManagesUndecidedCase(communePolice, 'CloseRehabCase')).toThrow();
    expect(() => assertManagesForm(communePolice, 'VOLUNTARY_COMMUNITY', 'CompleteRehab')).toThrow();
    expect(casesPolicy.decide(communePolice, 'persons.erase').allowed).toBe(false);
  });

  it('lets the police (commune and, since the 2025 transfer, provincial) record a relapse on any form, and no other step', () => {
    for (const code of ['22-COMMUNE_POLICE', '22-POLICE']) {
      const police = principal(code, ['caseworker']);
      expect(casesPolicy.decide(police, 'rehab-cases.manage').allowed).toBe(true);
      for (const form of ['VOLUNTARY_COMMUNITY', 'COMPULSORY_FACILITY', 'CEDEMEX_PILOT'] as const) {
        expect(() => assertManagesForm(police, form, 'RecordRelapse')).not.toThrow();
        expect(() => assertManagesForm(police, form, 'StartPostRehabManagement')).toThrow();
        expect(() => assertManagesForm(police, form, 'ReduceTerm')).toThrow();
      }
    }
    expect(() => assertManagesUndecidedCase(principal('22-POLICE', ['caseworker']), 'DetermineAddiction')).toThrow();
  });

  it('management of illegal drug users: the commune decides, the commune police manage (tests), the provincial police and health read', () => {
    const commune = principal('22-COMMUNE-06793', ['caseworker']);
    const communePolice = principal('22-COMMUNE_POLICE', ['caseworker']);
    expect(casesPolicy.decide(commune, 'drug-user-managements.decide').allowed).toBe(true);
    expect(casesPolicy.decide(communePolice, 'drug-user-managements.decide').allowed).toBe(false);
    expect(casesPolicy.decide(communePolice, 'drug-user-managements.manage').allowed).toBe(true);
    expect(casesPolicy.decide(principal('22-POLICE', ['caseworker']), 'drug-user-managements.read').allowed).toBe(true);
    expect(casesPolicy.decide(principal('22-POLICE', ['caseworker']), 'drug-user-managements.manage').allowed).toBe(false);
    expect(casesPolicy.decide(principal('22-REHAB_FACILITY', ['caseworker']), 'drug-user-managements.read').allowed).toBe(false);
  });

  it('lets only agencies that manage some form register or manage a case without a form', () => {
    expect(() => assertManagesUndecidedCase(principal('22-COMMUNE-06793', ['caseworker']))).not.toThrow();
    expect(() => assertManagesUndecidedCase(principal('22-REHAB_FACILITY', ['caseworker']))).not.toThrow();
    expect(() => assertManagesUndecidedCase(principal('22-POLICE', ['caseworker']))).toThrow();
    expect(() => assertManagesUndecidedCase(principal('22-DOLISA', ['caseworker']))).toThrow();
  });
});
