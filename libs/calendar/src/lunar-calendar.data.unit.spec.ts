import { LunarCalendar } from '@dqcai/vn-lunar';
import { addDays, formatIsoDate, parseIsoDate } from './iso-date';
import { LUNAR_DATES } from './lunar-calendar.data';

// The table was generated from this package once; this keeps it honest. The package is a dev
// dependency only (its CommonJS build is obfuscated and not loaded by production code).
const solar = (s: { day: number; month: number; year: number }) => formatIsoDate(s.year, s.month, s.day);

describe('LUNAR_DATES', () => {
  it('covers 2015–2040 without gaps', () => {
    expect(LUNAR_DATES.map(([year]) => year)).toEqual(Array.from({ length: 26 }, (_, i) => 2015 + i));
  });

  it.each(LUNAR_DATES.map((row) => [...row]))('%i: lunar new year %s, Hùng Kings %s match @dqcai/vn-lunar', (year, newYear, hungKings) => {
    expect(solar(LunarCalendar.fromLunar(1, 1, year).solarDate)).toBe(newYear);
    expect(solar(LunarCalendar.fromLunar(10, 3, year).solarDate)).toBe(hungKings);
    const { day, month, year: y } = parseIsoDate(hungKings);
    expect(LunarCalendar.fromSolar(day, month, y).lunarDate).toMatchObject({ day: 10, month: 3, leap: false });
    // The day before the new year is the last day (29th or 30th) of the 12th month.
    const eve = parseIsoDate(addDays(newYear, -1));
    const last = LunarCalendar.fromSolar(eve.day, eve.month, eve.year).lunarDate;
    expect(last.month).toBe(12);
    expect([29, 30]).toContain(last.day);
  });

  it('uses the Vietnamese (UTC+7) calendar: Tết 2030 is 2 February, a day before the Chinese new year', () => {
    expect(LUNAR_DATES.find(([year]) => year === 2030)?.[1]).toBe('2030-02-02');
  });
});
