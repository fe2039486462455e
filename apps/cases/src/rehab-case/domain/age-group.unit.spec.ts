import { ageGroupOn, fullYearsBetween } from './age-group';

describe('ageGroupOn', () => {
  it('is MINOR the day before the 18th birthday and ADULT on it', () => {
    expect(ageGroupOn('2008-08-10', '2026-08-09')).toBe('MINOR');
    expect(ageGroupOn('2008-08-10', '2026-08-10')).toBe('ADULT');
  });

  it('counts a 29 February birthday as reached on 1 March of a common year', () => {
    expect(fullYearsBetween('2008-02-29', '2026-02-28')).toBe(17);
    expect(fullYearsBetween('2008-02-29', '2026-03-01')).toBe(18);
    expect(fullYearsBetween('2008-02-29', '2028-02-29')).toBe(20);
  });

  it('counts whole years across months', () => {
    expect(fullYearsBetween('1990-12-31', '2022-01-01')).toBe(31);
    expect(fullYearsBetween('1990-01-01', '2022-12-31')).toBe(32);
  });
});
