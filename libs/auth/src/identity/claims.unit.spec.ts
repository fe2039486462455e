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
    ['jurisdiction', { jurisdiction: undefined }],
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

  it('accepts an empty jurisdiction (a principal that covers no unit)', () => {
    expect(principalFromClaims({ ...valid, jurisdiction: [] }).jurisdiction).toEqual([]);
  });
});
