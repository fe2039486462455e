import { AccessDeniedError, describeAuthorizationMatrix, representativePrincipals } from '@haidang/auth';
import { jurisdiction } from '@haidang/jurisdiction';
import { AGENCY_TYPES, parseAgencyCode, ROLES, type Agency, type Principal } from '@haidang/request-context';
import { employmentPolicy, SUPERVISING_DEPARTMENT_TYPES } from './employment.policy';

describeAuthorizationMatrix(employmentPolicy);

describe('employment policy', () => {
  const principal = (agency: string, roles: Principal['roles'], units: readonly string[]): Principal => ({
    sub: 'u1',
    agency: parseAgencyCode(agency) as Agency,
    roles,
    jurisdiction: units,
  });
  const centre = principal('22-EMPLOYMENT_CENTRE', ['caseworker'], ['22']);
  const commune = principal('22-COMMUNE-06793', ['caseworker'], ['06793']);
  const provider = principal('22-NGO-7', ['caseworker'], ['22']);

  it('refuses every principal an action it does not name', () => {
    for (const p of representativePrincipals())
      expect(employmentPolicy.decide(p, 'employment-records.erase')).toEqual({ allowed: false, reason: 'unknown-action' });
  });

  it('gives employers (no agency type), PPC, police, facilities and health nothing at all', () => {
    const others = AGENCY_TYPES.filter((type) => !['EMPLOYMENT_CENTRE', 'COMMUNE', 'NGO'].includes(type));
    expect(others).toContain('PPC');
    for (const p of representativePrincipals({ agencyTypes: others, roles: ROLES }))
      for (const action of employmentPolicy.actions) {
        const supervising =
          action === 'registers.read' && SUPERVISING_DEPARTMENT_TYPES.includes(p.agency.type) && p.roles.some((r) => r === 'caseworker' || r === 'supervisor');
        expect(employmentPolicy.decide(p, action).allowed).toBe(supervising);
      }
  });

  it('lets the department holding labour, employment or vocational education (agency table) read the registers, nothing else', () => {
    expect([...SUPERVISING_DEPARTMENT_TYPES].sort()).toEqual(['DOLISA', 'EDUCATION', 'HOME_AFFAIRS']);
    for (const code of ['22-HOME_AFFAIRS', '22-EDUCATION']) {
      const department = principal(code, ['caseworker'], ['22']);
      for (const action of employmentPolicy.actions)
        expect([action, employmentPolicy.decide(department, action).allowed]).toEqual([action, action === 'registers.read']);
    }
  });

  it('gives a provider (NGO) only its own enrolments, never a record, a follow-up or a register', () => {
    for (const action of employmentPolicy.actions) expect(employmentPolicy.decide(provider, action).allowed).toBe(action === 'provider-enrolments.read');
    expect(() => employmentPolicy.assertInScope(provider, 'provider-enrolments.read', { agencyCode: '22-NGO-7' }, jurisdiction)).not.toThrow();
    expect(() => employmentPolicy.assertInScope(provider, 'provider-enrolments.read', { agencyCode: '22-NGO-8' }, jurisdiction)).toThrow(AccessDeniedError);
  });

  it('lets only caseworkers and supervisors act', () => {
    for (const role of ROLES) {
      const allowed = role === 'caseworker' || role === 'supervisor';
      for (const action of ['employment-records.read', 'employment-records.manage', 'registers.manage'] as const)
        expect(employmentPolicy.decide(principal('22-EMPLOYMENT_CENTRE', [role], ['22']), action).allowed).toBe(allowed);
    }
  });

  it('lets the centre reach any record of its province, the commune only records in its commune', () => {
    const act = 'employment-records.manage';
    expect(() => employmentPolicy.assertInScope(centre, act, { unitCodes: ['06793'] }, jurisdiction)).not.toThrow();
    expect(() => employmentPolicy.assertInScope(centre, act, { unitCodes: ['22'] }, jurisdiction)).not.toThrow();
    expect(() => employmentPolicy.assertInScope(centre, act, { unitCodes: ['05977'] }, jurisdiction)).toThrow(AccessDeniedError);
    expect(() => employmentPolicy.assertInScope(commune, act, { unitCodes: ['06793'] }, jurisdiction)).not.toThrow();
    expect(() => employmentPolicy.assertInScope(commune, act, { unitCodes: ['06685'] }, jurisdiction)).toThrow(AccessDeniedError);
    // A record whose commune is not known yet (opened from a referral) lies in the province: no commune reaches it.
    expect(() => employmentPolicy.assertInScope(commune, act, { unitCodes: ['22'] }, jurisdiction)).toThrow(AccessDeniedError);
    expect(() => employmentPolicy.assertInScope(centre, act, { unitCodes: [] }, jurisdiction)).toThrow(AccessDeniedError);
  });

  it('keeps the registers with the centre; communes read them', () => {
    expect(employmentPolicy.decide(commune, 'registers.manage').allowed).toBe(false);
    expect(employmentPolicy.decide(commune, 'registers.read').allowed).toBe(true);
  });
});
