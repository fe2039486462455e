import { parseTokenArgs } from './token-args';

describe('parseTokenArgs', () => {
  it('reads agency, several roles and units', () => {
    expect(parseTokenArgs(['--agency', '22-COMMUNE-06793', '--role', 'caseworker', '--role', 'supervisor', '--unit', '06793', '--unit', '06794'])).toEqual({
      ok: true,
      options: { agency: '22-COMMUNE-06793', roles: ['caseworker', 'supervisor'], units: ['06793', '06794'] },
    });
  });

  it("defaults the unit to the agency's province, and takes sub and ttl", () => {
    expect(parseTokenArgs(['--agency', '22-PPC', '--role', 'analyst', '--sub', 'analyst-7', '--ttl', '15m'])).toEqual({
      ok: true,
      options: { agency: '22-PPC', roles: ['analyst'], units: ['22'], sub: 'analyst-7', ttl: '15m' },
    });
    expect(parseTokenArgs(['--agency', '20-POLICE', '--role', 'auditor', '--ttl', '600'])).toMatchObject({ ok: true, options: { ttl: 600, units: ['20'] } });
  });

  it("defaults a commune agency's unit to its commune, the only one its tokens may claim", () => {
    expect(parseTokenArgs(['--agency', '22-COMMUNE-06793', '--role', 'caseworker'])).toMatchObject({ ok: true, options: { units: ['06793'] } });
  });

  it.each([
    [[], /--agency is required/],
    [['--agency', '22-MINISTRY', '--role', 'caseworker'], /known type/],
    [['--agency', '22-PPC'], /--role is required/],
    [['--agency', '22-PPC', '--role', 'root'], /unknown role\(s\): root/],
    [['--agency', '22-PPC', '--role', 'analyst', '--unit', 'Cẩm Phả'], /administrative-unit code/],
    [['--agency', '22-PPC', '--role', 'analyst', '--ttl', 'forever'], /--ttl/],
    [['--agency', '22-PPC', '--role', 'analyst', '--admin'], /Unknown option/],
    [['--agency', '22-PPC', '--role', 'analyst', 'extra'], /positional/],
  ])('refuses %j', (argv, message) => {
    const result = parseTokenArgs(argv);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
  });
});
