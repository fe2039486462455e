import fc from 'fast-check';
import { addDays, addMonths, fromDayNumber, isIsoDate, parseIsoDate, toDayNumber, weekdayOf } from './iso-date';

describe('iso-date', () => {
  it('knows weekdays', () => {
    expect(weekdayOf('1970-01-01')).toBe('THU');
    expect(weekdayOf('2026-02-17')).toBe('TUE');
    expect(weekdayOf('2000-02-29')).toBe('TUE');
    expect(weekdayOf('2026-11-27')).toBe('FRI');
  });

  it.each(['2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '26-02-01', '2026-2-1', '2026-02-01T00:00'])('rejects %p', (value) => {
    expect(isIsoDate(value)).toBe(false);
    expect(() => parseIsoDate(value)).toThrow(RangeError);
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('adds months, clamping to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-07-01', 24)).toBe('2028-07-01');
    expect(addMonths('2026-03-15', -3)).toBe('2025-12-15');
    expect(addMonths('2026-05-10', 12)).toBe('2027-05-10');
  });

  it('round-trips day numbers and steps weekdays by one', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), (n) => {
        const date = fromDayNumber(n);
        expect(isIsoDate(date)).toBe(true);
        expect(toDayNumber(date)).toBe(n);
        expect(addDays(date, 1) > date).toBe(true);
        const order = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
        expect((order.indexOf(weekdayOf(date)) + 1) % 7).toBe(order.indexOf(weekdayOf(addDays(date, 1))));
      }),
    );
  });
});
