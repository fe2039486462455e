import { AccessDeniedError, describeAuthorizationMatrix } from '@haidang/auth';
import { jurisdiction } from '@haidang/jurisdiction';
import { AGENCY_TYPES, parseAgencyCode, ROLES, type Agency, type Principal, type Role } from '@haidang/request-context';
import { SOCIAL_EVILS_PREVENTION_HOLDERS } from './agencies/domain/prevention-agencies';
import { campaignsPolicy, type CampaignsAction } from './campaigns.policy';

describeAuthorizationMatrix(campaignsPolicy);

const principal = (agency: string, roles: readonly Role[], units: readonly string[]): Principal => ({
  sub: 'u1',
  agency: parseAgencyCode(agency) as Agency,
  roles,
  jurisdiction: units,
});
const allowed = (p: Principal, action: CampaignsAction) => campaignsPolicy.decide(p, action).allowed;
const WRITES = campaignsPolicy.actions.filter((a) => !a.endsWith('.read'));
const READS = campaignsPolicy.actions.filter((a) => a.endsWith('.read'));

describe('campaigns policy', () => {
  const commune = principal('22-COMMUNE-06793', ['caseworker'], ['06793']);
  const dolisa = principal('22-DOLISA', ['caseworker'], ['22']);
  const ppc = principal('22-PPC', ['analyst'], ['22']);
  const border = principal('22-BORDER_GUARD', ['caseworker'], ['22']);
  const club = principal('22-SUPPORT_MODEL-3', ['caseworker'], ['22']);
  const club3 = { unitCodes: ['06793'], agencyCode: '22-SUPPORT_MODEL-3' };

  it('lets the provincial People’s Committee read everything in its province and record only plans', () => {
    for (const action of READS)
      expect(() => campaignsPolicy.assertInScope(ppc, action, { unitCodes: ['06685'], agencyCode: '22-X' }, jurisdiction)).not.toThrow();
    const ppcOfficer = principal('22-PPC', ['supervisor'], ['22']);
    for (const action of WRITES) expect(allowed(ppcOfficer, action)).toBe(action.startsWith('plans.'));
    expect(() => campaignsPolicy.assertInScope(ppc, 'activities.read', { unitCodes: ['05977'] }, jurisdiction)).toThrow(AccessDeniedError);
  });

  it('names every agency type that ever held social-evils prevention wherever DOLISA records', () => {
    for (const action of campaignsPolicy.actions) {
      const types = campaignsPolicy.rules[action].agencyTypes;
      for (const holder of SOCIAL_EVILS_PREVENTION_HOLDERS) expect(types.includes('DOLISA')).toBe(types.includes(holder.agencyType));
    }
  });

  it('lets a commune record activities only in its own jurisdiction', () => {
    expect(() => campaignsPolicy.assertInScope(commune, 'activities.record', { unitCodes: ['06793'] }, jurisdiction)).not.toThrow();
    expect(() => campaignsPolicy.assertInScope(commune, 'activities.record', { unitCodes: ['06685'] }, jurisdiction)).toThrow(AccessDeniedError);
    expect(() => campaignsPolicy.assertInScope(commune, 'activities.record', { unitCodes: ['22'] }, jurisdiction)).toThrow(AccessDeniedError);
    expect(() => campaignsPolicy.assertInScope(dolisa, 'activities.record', { unitCodes: ['06685'] }, jurisdiction)).not.toThrow();
    expect(() => campaignsPolicy.assertInScope(dolisa, 'activities.record', { unitCodes: ['05977'] }, jurisdiction)).toThrow(AccessDeniedError);
  });

  it('lets the border guard run only the models it owns, and a model log only itself', () => {
    expect(() =>
      campaignsPolicy.assertInScope(border, 'support-models.log', { unitCodes: ['06793'], agencyCode: '22-BORDER_GUARD' }, jurisdiction),
    ).not.toThrow();
    expect(() => campaignsPolicy.assertInScope(border, 'support-models.log', { unitCodes: ['06793'], agencyCode: '22-COMMUNE-06793' }, jurisdiction)).toThrow(
      AccessDeniedError,
    );
    expect(() => campaignsPolicy.assertInScope(club, 'support-models.log', club3, jurisdiction)).not.toThrow();
    expect(() => campaignsPolicy.assertInScope(club, 'support-models.log', { ...club3, agencyCode: '22-SUPPORT_MODEL-4' }, jurisdiction)).toThrow(
      AccessDeniedError,
    );
    expect(allowed(club, 'support-models.manage')).toBe(false);
    expect(allowed(club, 'support-models.found')).toBe(false);
  });

  it('gives police, courts, NGOs, the employment centre and the rehab facility no write at all', () => {
    for (const type of ['POLICE', 'COMMUNE_POLICE', 'COURT', 'NGO', 'EMPLOYMENT_CENTRE', 'REHAB_FACILITY'] as const) {
      const p = principal(`22-${type}`, ROLES, ['22']);
      for (const action of WRITES) expect(allowed(p, action)).toBe(false);
    }
  });

  it('gives data-protection and admin roles nothing (no personal data lives here)', () => {
    for (const type of AGENCY_TYPES) {
      const code = type === 'COMMUNE' ? '22-COMMUNE-06793' : `22-${type}`;
      for (const action of campaignsPolicy.actions) expect(allowed(principal(code, ['data-protection', 'admin'], ['22']), action)).toBe(false);
    }
  });

  it('refuses an action it does not name', () => {
    expect(campaignsPolicy.decide(dolisa, 'activities.erase')).toEqual({ allowed: false, reason: 'unknown-action' });
  });
});
