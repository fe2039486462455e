import { AGENCY_TYPES, parseAgencyCode, ROLES, type Principal, type Role } from '@haidang/request-context';
import { AccessDeniedError } from '../identity/errors';
import { describeAuthorizationMatrix, expectedAllowed, representativePrincipals } from '../testing/authorization-matrix';
import { definePolicy, prefixJurisdiction } from './policy';

const policy = definePolicy({
  'persons.read': {
    agencyTypes: ['COMMUNE', 'DOLISA', 'PPC'],
    roles: ['caseworker', 'supervisor', 'analyst'],
    scope: { COMMUNE: 'own-jurisdiction', DOLISA: 'any-in-province', PPC: 'aggregates-only' },
  },
  'rehab-cases.start': { agencyTypes: ['REHAB_FACILITY'], roles: ['caseworker'], scope: 'own-agency' },
  'integrity.verify': { agencyTypes: ['DOLISA', 'PPC'], roles: ['auditor'], scope: 'any-in-province' },
});

function principal(agency: string, roles: Role[], jurisdiction: string[]): Principal {
  const parsed = parseAgencyCode(agency);
  if (!parsed) throw new Error(agency);
  return { sub: 'u-1', agency: parsed, roles, jurisdiction };
}

const communeOfficer = principal('22-COMMUNE-06793', ['caseworker'], ['06793']);
const dolisa = principal('22-DOLISA', ['supervisor'], ['22']);
const ppc = principal('22-PPC', ['analyst'], ['22']);
const facility = principal('22-REHAB_FACILITY-1', ['caseworker'], ['22']);
// Communes 06793 and 06794 are in province 22 (Quảng Ninh); 06001 is in 20 (Lạng Sơn) for this test.
const provinces: Record<string, string> = { '06793': '22', '06794': '22', '06001': '20' };
const jurisdiction = prefixJurisdiction((unit) => provinces[unit]);
const at = new Date('2026-01-01T00:00:00Z');

describe('definePolicy', () => {
  it('decides by agency type, then role, and refuses actions it does not name', () => {
    expect(policy.decide(communeOfficer, 'persons.read')).toEqual({ allowed: true, scope: 'own-jurisdiction' });
    expect(policy.decide(ppc, 'persons.read')).toEqual({ allowed: true, scope: 'aggregates-only' });
    expect(policy.decide(facility, 'persons.read')).toEqual({ allowed: false, reason: 'agency-type' });
    expect(policy.decide(principal('22-COMMUNE-06793', ['auditor'], ['06793']), 'persons.read')).toEqual({ allowed: false, reason: 'role' });
    expect(policy.decide(dolisa, 'persons.delete')).toEqual({ allowed: false, reason: 'unknown-action' });
    expect(policy.decide(dolisa, 'toString')).toEqual({ allowed: false, reason: 'unknown-action' });
    expect(policy.actions).toEqual(['persons.read', 'rehab-cases.start', 'integrity.verify']);
  });

  it('refuses a malformed policy when it is defined', () => {
    expect(() => definePolicy({ 'a.b': { agencyTypes: [], roles: ['admin'], scope: 'own-agency' } })).toThrow(/agencyTypes/);
    expect(() => definePolicy({ 'a.b': { agencyTypes: ['PPC'], roles: [], scope: 'own-agency' } })).toThrow(/roles/);
    expect(() => definePolicy({ 'a.b': { agencyTypes: ['MINISTRY' as 'PPC'], roles: ['admin'], scope: 'own-agency' } })).toThrow(
      /unknown agency type MINISTRY/,
    );
    expect(() => definePolicy({ 'a.b': { agencyTypes: ['PPC'], roles: ['root' as 'admin'], scope: 'own-agency' } })).toThrow(/unknown role root/);
    expect(() => definePolicy({ 'a.b': { agencyTypes: ['PPC'], roles: ['admin'], scope: 'everything' as 'own-agency' } })).toThrow(/unknown scope/);
    expect(() => definePolicy({ 'a.b': { agencyTypes: ['PPC', 'DOLISA'], roles: ['admin'], scope: { PPC: 'aggregates-only' } } })).toThrow(
      /no scope for agency type DOLISA/,
    );
    expect(() => definePolicy({ 'a.b': { agencyTypes: ['PPC'], roles: ['admin'], scope: { PPC: 'aggregates-only', POLICE: 'own-agency' } } })).toThrow(
      /POLICE/,
    );
    expect(() => definePolicy({ Persons: { agencyTypes: ['PPC'], roles: ['admin'], scope: 'own-agency' } })).toThrow(/dotted/);
  });

  it('keeps its rules from being changed after definition', () => {
    expect(Object.isFrozen(policy.rules)).toBe(true);
    expect(Object.isFrozen(policy.rules['persons.read'].agencyTypes)).toBe(true);
  });
});

describe('assertInScope', () => {
  const check = (p: Principal, action: Parameters<typeof policy.assertInScope>[1], resource: Parameters<typeof policy.assertInScope>[2]) => {
    try {
      policy.assertInScope(p, action, resource, jurisdiction);
      return 'allowed';
    } catch (error) {
      if (error instanceof AccessDeniedError) return error.reason;
      throw error;
    }
  };

  it('own jurisdiction: a commune officer reaches their commune only, and nothing without known units', () => {
    expect(check(communeOfficer, 'persons.read', { unitCodes: ['06793'], at })).toBe('allowed');
    expect(check(communeOfficer, 'persons.read', { unitCodes: ['06794'], at })).toBe('out-of-scope');
    expect(check(communeOfficer, 'persons.read', { unitCodes: ['22'], at })).toBe('out-of-scope');
    expect(check(communeOfficer, 'persons.read', { at })).toBe('out-of-scope');
    // Responsible units: any one covered suffices (home commune, while at a facility elsewhere).
    expect(check(communeOfficer, 'persons.read', { unitCodes: ['06001', '06793'], at })).toBe('allowed');
  });

  it('any in province: the provincial department reaches every commune of its province', () => {
    expect(check(dolisa, 'persons.read', { unitCodes: ['06794'] })).toBe('allowed');
    expect(check(dolisa, 'persons.read', { unitCodes: ['06001'] })).toBe('out-of-scope');
    const auditor = principal('22-DOLISA', ['auditor'], ['22']);
    expect(check(auditor, 'integrity.verify', { agencyCode: '22-COMMUNE-06793' })).toBe('allowed');
    expect(check(auditor, 'integrity.verify', { agencyCode: '20-POLICE' })).toBe('out-of-scope');
  });

  it('own agency: a facility acts on what it holds only', () => {
    expect(check(facility, 'rehab-cases.start', { agencyCode: '22-REHAB_FACILITY-1' })).toBe('allowed');
    expect(check(facility, 'rehab-cases.start', { agencyCode: '22-REHAB_FACILITY-2' })).toBe('out-of-scope');
    expect(check(facility, 'rehab-cases.start', {})).toBe('out-of-scope');
  });

  it('re-checks agency type and role, so a handler cannot skip the guard by mistake', () => {
    expect(check(facility, 'persons.read', { unitCodes: ['06793'] })).toBe('agency-type');
    expect(check(principal('22-REHAB_FACILITY-1', ['auditor'], ['22']), 'rehab-cases.start', { agencyCode: '22-REHAB_FACILITY-1' })).toBe('role');
  });

  it('passes the resource date to the resolver (codes change with reorganisations)', () => {
    const seen: Date[] = [];
    policy.assertInScope(communeOfficer, 'persons.read', { unitCodes: ['06793'], at }, { covers: (_units, _unit, when) => (seen.push(when), true) });
    expect(seen).toEqual([at]);
  });
});

describe('isAggregatesOnly', () => {
  it('is true for the provincial People’s Committee reading persons, false for a commune, and refuses the refused', () => {
    expect(policy.isAggregatesOnly(ppc, 'persons.read')).toBe(true);
    expect(policy.isAggregatesOnly(communeOfficer, 'persons.read')).toBe(false);
    expect(() => policy.isAggregatesOnly(facility, 'persons.read')).toThrow(AccessDeniedError);
  });
});

describe('representative principals and the expected matrix', () => {
  it('has one principal per agency type × role', () => {
    const all = representativePrincipals();
    expect(all).toHaveLength(AGENCY_TYPES.length * ROLES.length);
    expect(all.find((p) => p.agency.type === 'COMMUNE')).toMatchObject({ agency: { code: '22-COMMUNE-06793' }, jurisdiction: ['06793'] });
  });

  it('reads the same answer from the rule data as the policy decides', () => {
    for (const action of policy.actions) {
      for (const p of representativePrincipals()) expect(expectedAllowed(policy.rules[action], p)).toBe(policy.decide(p, action).allowed);
    }
  });
});

describeAuthorizationMatrix(policy);

describe('agency types with end dates (ADR 0010)', () => {
  it('refuses a dissolved type for a request day after its end, and only when the day is given', () => {
    expect(policy.decide(dolisa, 'persons.read', '2025-02-28')).toMatchObject({ allowed: true });
    expect(policy.decide(dolisa, 'persons.read', '2025-03-01')).toEqual({ allowed: false, reason: 'agency-dissolved' });
    expect(policy.decide(dolisa, 'persons.read')).toMatchObject({ allowed: true });
    expect(policy.decide(dolisa, 'no.such-action', '2025-03-01')).toEqual({ allowed: false, reason: 'unknown-action' });
    expect(policy.decide(communeOfficer, 'persons.read', '2025-03-01')).toMatchObject({ allowed: true });
  });

  it('leaves it to the deciders when the policy says its records carry their own date', () => {
    const dated = definePolicy({ 'a.b': { agencyTypes: ['DOLISA'], roles: ['supervisor'], scope: 'any-in-province' } }, { agencyCheckedOnRecordDate: true });
    expect(dated.decide(dolisa, 'a.b', '2026-12-06')).toMatchObject({ allowed: true });
    expect(dated.options.agencyCheckedOnRecordDate).toBe(true);
  });
});
