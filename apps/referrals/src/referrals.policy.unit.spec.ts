import { describeAuthorizationMatrix } from '@haidang/auth';
import type { Agency, Principal } from '@haidang/request-context';
import { parseAgencyCode } from '@haidang/request-context';
import { receiversOnAnyDate, SERVICE_TYPES } from './referral/domain';
import { RECEIVING_AGENCY_TYPES, referralsPolicy } from './referrals.policy';

describeAuthorizationMatrix(referralsPolicy);

describe('referrals policy', () => {
  const principal = (agency: string, roles: Principal['roles']): Principal => ({
    sub: 'u1',
    agency: parseAgencyCode(agency) as Agency,
    roles,
    jurisdiction: ['22'],
  });

  it('gives the provincial People’s Committee and the court no action on a referral', () => {
    for (const action of referralsPolicy.actions) {
      expect(referralsPolicy.decide(principal('22-PPC', ['analyst', 'supervisor', 'caseworker']), action).allowed).toBe(false);
      expect(referralsPolicy.decide(principal('22-COURT', ['supervisor', 'caseworker']), action).allowed).toBe(false);
    }
  });

  it('lets the listed agencies refer, officers only', () => {
    for (const code of [
      '22-COMMUNE-06793',
      '22-REHAB_FACILITY-1',
      '22-DOLISA',
      '22-HOME_AFFAIRS',
      '22-EDUCATION',
      '22-POLICE',
      '22-COMMUNE_POLICE-06793',
      '20-BORDER_GUARD',
      '22-HEALTH',
      '22-SUPPORT_MODEL-3',
      '22-NGO-1',
    ]) {
      expect([code, referralsPolicy.decide(principal(code, ['caseworker']), 'referrals.create').allowed]).toEqual([code, true]);
      expect([code, referralsPolicy.decide(principal(code, ['auditor', 'analyst', 'data-protection', 'admin']), 'referrals.create').allowed]).toEqual([
        code,
        false,
      ]);
    }
    expect(referralsPolicy.decide(principal('22-EMPLOYMENT_CENTRE', ['caseworker']), 'referrals.create').allowed).toBe(false);
  });

  it('lets every agency type the catalogue sends a service to, on any date, answer referrals, and no other', () => {
    const receivers = new Set(SERVICE_TYPES.flatMap((s) => receiversOnAnyDate(s)));
    expect([...RECEIVING_AGENCY_TYPES].sort()).toEqual([...receivers].sort());
    expect(referralsPolicy.decide(principal('22-EMPLOYMENT_CENTRE', ['caseworker']), 'referrals.respond').allowed).toBe(true);
    expect(referralsPolicy.decide(principal('22-POLICE', ['caseworker']), 'referrals.respond').allowed).toBe(false);
    // The departments that took DOLISA's labour and vocational-education functions on 2025-03-01.
    expect(referralsPolicy.decide(principal('22-HOME_AFFAIRS', ['caseworker']), 'referrals.respond').allowed).toBe(true);
    expect(referralsPolicy.decide(principal('22-EDUCATION', ['caseworker']), 'referrals.respond').allowed).toBe(true);
  });

  it('lets auditors of a party read the history only', () => {
    const auditor = principal('22-DOLISA', ['auditor']);
    expect(referralsPolicy.decide(auditor, 'referrals.history').allowed).toBe(true);
    expect(referralsPolicy.decide(auditor, 'referrals.read').allowed).toBe(false);
  });
});
