import { AccessDeniedError, describeAuthorizationMatrix, representativePrincipals } from '@haidang/auth';
import { jurisdiction } from '@haidang/jurisdiction';
import { AGENCY_TYPES, parseAgencyCode, ROLES, type Agency, type Principal } from '@haidang/request-context';
import { assertCooperationRecordInScope } from './cooperation-record/cooperation-record-access';
import { crossBorderPolicy, KINDS_READ_BY } from './cross-border.policy';

describeAuthorizationMatrix(crossBorderPolicy);

describe('cross-border policy', () => {
  const principal = (agency: string, roles: Principal['roles'], units: readonly string[]): Principal => ({
    sub: 'u1',
    agency: parseAgencyCode(agency) as Agency,
    roles,
    jurisdiction: units,
  });
  const allowed = (p: Principal, action: string) => crossBorderPolicy.decide(p, action as never).allowed;

  it('refuses every principal an action it does not name', () => {
    for (const p of representativePrincipals()) expect(crossBorderPolicy.decide(p, 'records.erase')).toEqual({ allowed: false, reason: 'unknown-action' });
  });

  it('gives agencies other than the Border Guard, the police, the PPC and foreign affairs nothing, whatever their roles', () => {
    const others = AGENCY_TYPES.filter((type) => !['BORDER_GUARD', 'POLICE', 'PPC', 'FOREIGN_AFFAIRS'].includes(type));
    for (const p of representativePrincipals({ agencyTypes: others, roles: ROLES })) {
      for (const action of crossBorderPolicy.actions) expect(crossBorderPolicy.decide(p, action).allowed).toBe(false);
    }
  });

  it('lets the PPC read statistics and registers only, never a record', () => {
    for (const role of ROLES) {
      const ppc = principal('20-PPC', [role], ['20']);
      for (const action of ['records.register', 'records.manage', 'records.seal', 'records.read', 'records.persons', 'persons.erase'])
        expect(allowed(ppc, action)).toBe(false);
    }
    expect(allowed(principal('20-PPC', ['analyst'], ['20']), 'statistics.read')).toBe(true);
  });

  it('lets Border Guard and police caseworkers record, only supervisors seal, auditors read without names', () => {
    for (const agency of ['20-BORDER_GUARD', '20-POLICE']) {
      expect(allowed(principal(agency, ['caseworker'], ['20']), 'records.register')).toBe(true);
      expect(allowed(principal(agency, ['caseworker'], ['20']), 'records.seal')).toBe(false);
      expect(allowed(principal(agency, ['supervisor'], ['20']), 'records.seal')).toBe(true);
      expect(allowed(principal(agency, ['auditor'], ['20']), 'records.read')).toBe(true);
      expect(allowed(principal(agency, ['auditor'], ['20']), 'records.persons')).toBe(false);
      expect(allowed(principal(agency, ['analyst'], ['20']), 'records.read')).toBe(false);
      // Only their data-protection officers shred a handed-over person, and they read nothing.
      expect(allowed(principal(agency, ['data-protection'], ['20']), 'persons.erase')).toBe(true);
      expect(allowed(principal(agency, ['supervisor'], ['20']), 'persons.erase')).toBe(false);
      expect(allowed(principal(agency, ['data-protection'], ['20']), 'records.persons')).toBe(false);
    }
  });

  it('lets the foreign-affairs department read its province’s meetings (seal, bilingual export) and the registers, nothing else', () => {
    const foreignAffairs = principal('20-FOREIGN_AFFAIRS', ['caseworker'], ['20']);
    for (const action of ['records.register', 'records.manage', 'records.seal', 'records.persons', 'statistics.read'])
      expect(allowed(foreignAffairs, action)).toBe(false);
    expect(allowed(foreignAffairs, 'records.read')).toBe(true);
    expect(allowed(foreignAffairs, 'registers.read')).toBe(true);
    expect(KINDS_READ_BY.FOREIGN_AFFAIRS).toEqual(['MEETING']);
    expect(() => assertCooperationRecordInScope(foreignAffairs, 'records.read', '20', 'MEETING')).not.toThrow();
    for (const kind of ['INFORMATION_EXCHANGE', 'JOINT_PATROL', 'JOINT_CASE', 'HANDOVER', 'PERIOD_SUMMARY'] as const)
      expect(() => assertCooperationRecordInScope(foreignAffairs, 'records.read', '20', kind)).toThrow(AccessDeniedError);
    // Another province's meetings are as far out of reach as anything else there.
    expect(() => assertCooperationRecordInScope(foreignAffairs, 'records.read', '22', 'MEETING')).toThrow(AccessDeniedError);
    expect(() => assertCooperationRecordInScope(principal('22-FOREIGN_AFFAIRS', ['caseworker'], ['22']), 'records.read', '20', 'MEETING')).toThrow(
      AccessDeniedError,
    );
    // The Border Guard reads every kind.
    expect(() => assertCooperationRecordInScope(principal('20-BORDER_GUARD', ['caseworker'], ['20']), 'records.read', '20', 'HANDOVER')).not.toThrow();
  });

  it('reaches a record only in the agency’s own province', () => {
    const guard = principal('20-BORDER_GUARD', ['caseworker'], ['20']);
    expect(() => crossBorderPolicy.assertInScope(guard, 'records.read', { unitCodes: ['20'] }, jurisdiction)).not.toThrow();
    expect(() => crossBorderPolicy.assertInScope(guard, 'records.read', { unitCodes: ['22'] }, jurisdiction)).toThrow(AccessDeniedError);
    // A token that claims another province's units still reads only its agency's province.
    const claiming = principal('20-BORDER_GUARD', ['caseworker'], ['20', '22']);
    expect(() => crossBorderPolicy.assertInScope(claiming, 'records.read', { unitCodes: ['22'] }, jurisdiction)).toThrow(AccessDeniedError);
    // A record without a known province is in nobody's scope.
    expect(() => crossBorderPolicy.assertInScope(guard, 'records.read', { unitCodes: [] }, jurisdiction)).toThrow(AccessDeniedError);
  });
});
