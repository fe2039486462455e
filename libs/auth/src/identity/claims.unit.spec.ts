import { claimsFromPrincipal, InvalidClaimsError, principalFromClaims } from './claims';

const valid = { sub: 'u-123', agency: '22-COMMUNE-06793', roles: ['caseworker'], jurisdiction: ['06793'] };

describe('principalFromClaims', () => {
  it('builds the principal: agency code parsed into type and province', () => {
    const principal = principalFromClaims({ ...valid, roles: ['caseworker', 'supervisor', 'caseworker'], iss: 'haidang', extra: 1 });
    expect(principal).toEqual({
      sub: 'u-123',
      agency: { code: '22-COMMUNE-06793', type: 'COMMUNE', province: '22' },
      roles: ['caseworker', 'supervisor'],
      jurisdiction: ['06793'],
    });
    expect(Object.isFrozen(principal.roles)).toBe(true);
    expect(claimsFromPrincipal(principal)).toEqual({ ...valid, roles: ['caseworker', 'supervisor'] });
  });

  it.each([
    ['sub', { sub: undefined }],
    ['sub', { sub: 'has space' }],
    ['sub', { sub: 42 }],
    ['agency', { agency: '22-MINISTRY' }],
    ['agency', { agency: undefined }],
    ['roles', { roles: ['caseworker', 'superuser'] }],
    ['roles', { roles: [] }],
    ['roles', { roles: 'caseworker' }],
    ['jurisdiction', { jurisdiction: ['06793', 'Cẩm Phả'] }],
    ['jurisdiction', { jurisdiction: '06793' }],
    ['jurisdiction', { jurisdiction: [6793] }],
    ['jurisdiction', { jurisdiction: null }],
  ])('refuses a bad %s claim without echoing its value', (claim, change) => {
    const attempt = () => principalFromClaims({ ...valid, ...change });
    expect(attempt).toThrow(InvalidClaimsError);
    try {
      attempt();
    } catch (error) {
      expect((error as InvalidClaimsError).claim).toBe(claim);
      expect((error as Error).message).not.toMatch(/superuser|Cẩm|MINISTRY|has space/);
    }
  });

  // Issue 10 §9: tokens signed with the real key whose claim does not fit the agency were accepted.
  describe('the jurisdiction claim must fit the agency code', () => {
    it.each([
      ['a commune agency claiming its province', '22-COMMUNE-06811', ['22']],
      ['a commune agency claiming another commune', '22-COMMUNE-06811', ['06793']],
      ['a commune agency claiming its commune and another', '22-COMMUNE-06793', ['06793', '06778']],
      ['a commune agency claiming nothing', '22-COMMUNE-06793', []],
      ['a provincial agency claiming a commune', '22-POLICE', ['06811']],
      ['a provincial agency claiming nothing', '22-POLICE', []],
      ['a provincial agency claiming another province', '22-POLICE', ['20']],
      ['a provincial agency claiming its province and another', '22-DOLISA', ['22', '20']],
      ['commune police claiming the province', '22-COMMUNE_POLICE-06793', ['22']],
    ])('refuses %s', (_case, agency, jurisdiction) => {
      expect(() => principalFromClaims({ ...valid, agency, jurisdiction })).toThrow(expect.objectContaining({ claim: 'jurisdiction' }));
    });

    it.each([
      ['a commune agency whose commune is in another province', '20-COMMUNE-06793'],
      ['a commune agency without a commune code', '22-COMMUNE'],
      ['a commune agency with a number that is not a commune code', '22-COMMUNE-1'],
    ])('refuses %s as a bad agency claim', (_case, agency) => {
      expect(() => principalFromClaims({ ...valid, agency, jurisdiction: undefined })).toThrow(expect.objectContaining({ claim: 'agency' }));
    });

    it.each([
      ['22-COMMUNE-06793', ['06793']],
      ['22-COMMUNE_POLICE-06793', ['06793']],
      ['22-POLICE', ['22']],
      ['20-BORDER_GUARD', ['20']],
      ['22-REHAB_FACILITY-1', ['22']],
      ['22-DOLISA', ['22', '22']],
    ])('accepts %s claiming %j', (agency, jurisdiction) => {
      expect(principalFromClaims({ ...valid, agency, jurisdiction }).jurisdiction).toEqual([jurisdiction[0]]);
    });

    it.each([
      ['22-COMMUNE-06793', ['06793']],
      ['22-POLICE', ['22']],
      ['20-BORDER_GUARD', ['20']],
    ])('scopes %s from its agency code when the claim is absent', (agency, expected) => {
      expect(principalFromClaims({ ...valid, agency, jurisdiction: undefined }).jurisdiction).toEqual(expected);
    });
  });
});
