import { addDays, addMonths, daysBetween, isLocalDate, vietnamDateOf } from './local-date';

describe('local dates', () => {
  it('accepts only real calendar dates in YYYY-MM-DD', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2023-02-29')).toBe(false);
    expect(isLocalDate('2022-3-1')).toBe(false);
    expect(isLocalDate('2022-03-01T00:00:00Z')).toBe(false);
    expect(isLocalDate(20220301)).toBe(false);
  });

  it('adds months clamping to the end of a shorter month', () => {
    expect(addMonths('2022-01-31', 1)).toBe('2022-02-28');
    expect(addMonths('2022-03-15', 12)).toBe('2023-03-15');
    expect(addMonths('2026-08-15', 6)).toBe('2027-02-15');
  });

  it('counts days', () => {
    expect(daysBetween('2022-03-15', addDays('2022-03-15', 183))).toBe(183);
  });

  it('reads the date in Vietnam (UTC+7)', () => {
    expect(vietnamDateOf(new Date('2026-11-27T16:59:59Z'))).toBe('2026-11-27');
    expect(vietnamDateOf(new Date('2026-11-27T17:00:00Z'))).toBe('2026-11-28');
  });
});
