import fc from 'fast-check';
import { addDays, fromDayNumber, toDayNumber } from './iso-date';
import { DEFAULT_HOLIDAY_DATA, holidaysIn } from './holidays';
import { addWorkingDays, createWorkingDayCalendar, isWorkingDay, workingDaysBetween } from './working-days';

const offDays = (from: string, to: string) => {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (!isWorkingDay(d)) days.push(d);
  return days;
};

describe('Vietnamese public holidays', () => {
  it('Tết 2026 (official): 16–20 February off, with the weekends around it', () => {
    expect(offDays('2026-02-12', '2026-02-24')).toEqual([
      '2026-02-14',
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
    ]);
    expect(
      holidaysIn(2026)
        .filter((h) => h.kind === 'TET')
        .map((h) => h.date),
    ).toEqual(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']);
  });

  it('30 April and 1 May', () => {
    expect(isWorkingDay('2026-04-29')).toBe(true);
    expect(isWorkingDay('2026-04-30')).toBe(false);
    expect(isWorkingDay('2026-05-01')).toBe(false);
    expect(isWorkingDay('2026-05-04')).toBe(true);
  });

  it("Hùng Kings' day 2026 falls on Sunday 26 April: Monday 27 April is off in lieu", () => {
    expect(holidaysIn(2026).filter((h) => h.kind === 'HUNG_KINGS')).toEqual([
      { date: '2026-04-26', kind: 'HUNG_KINGS', name: "Hùng Kings' Commemoration Day", type: 'HOLIDAY' },
      { date: '2026-04-27', kind: 'HUNG_KINGS', name: "Hùng Kings' Commemoration Day (day in lieu)", type: 'COMPENSATORY' },
    ]);
    expect(isWorkingDay('2026-04-27')).toBe(false);
    expect(isWorkingDay('2026-04-28')).toBe(true);
  });

  it('National Day: 2 September plus the official adjacent day', () => {
    expect(offDays('2024-08-30', '2024-09-04')).toEqual(['2024-08-31', '2024-09-01', '2024-09-02', '2024-09-03']);
    expect(offDays('2025-08-29', '2025-09-03')).toEqual(['2025-08-30', '2025-08-31', '2025-09-01', '2025-09-02']);
    // 2023: 2 September was a Saturday; Friday 1 September adjacent, Monday 4 September in lieu.
    expect(offDays('2023-08-31', '2023-09-05')).toEqual(['2023-09-01', '2023-09-02', '2023-09-03', '2023-09-04']);
  });

  it('before the 2019 Labour Code took effect, National Day was one day', () => {
    expect(isWorkingDay('2020-09-02')).toBe(false);
    expect(isWorkingDay('2020-09-03')).toBe(true);
    expect(isWorkingDay('2020-09-01')).toBe(true);
  });

  it('weekend holidays give the next working days off, in order (30 April–1 May 2022 on Sat–Sun)', () => {
    expect(offDays('2022-04-29', '2022-05-05')).toEqual(['2022-04-30', '2022-05-01', '2022-05-02', '2022-05-03']);
  });

  it('a day in lieu skips over a holiday (30 April 2017 on Sunday, 1 May on Monday → Tuesday 2 May)', () => {
    expect(offDays('2017-04-28', '2017-05-04')).toEqual(['2017-04-29', '2017-04-30', '2017-05-01', '2017-05-02']);
  });

  it("New Year's Day on a Saturday gives Monday off (2022)", () => {
    expect(isWorkingDay('2022-01-03')).toBe(false);
    expect(isWorkingDay('2022-01-04')).toBe(true);
  });

  it('default Tết over a weekend is compensated after it (2027: new year on Saturday 6 February)', () => {
    expect(
      holidaysIn(2027)
        .filter((h) => h.kind === 'TET')
        .map((h) => [h.date, h.type]),
    ).toEqual([
      ['2027-02-05', 'HOLIDAY'],
      ['2027-02-06', 'HOLIDAY'],
      ['2027-02-07', 'HOLIDAY'],
      ['2027-02-08', 'HOLIDAY'],
      ['2027-02-09', 'HOLIDAY'],
      ['2027-02-10', 'COMPENSATORY'],
      ['2027-02-11', 'COMPENSATORY'],
    ]);
    expect(isWorkingDay('2027-02-12')).toBe(true);
  });

  it('a swapped day is off, and the Saturday worked for it is a working day (2025)', () => {
    expect(isWorkingDay('2025-05-02')).toBe(false);
    expect(isWorkingDay('2025-04-26')).toBe(true);
  });

  it('an official Tết override replaces the default days', () => {
    const calendar = createWorkingDayCalendar({
      ...DEFAULT_HOLIDAY_DATA,
      official: { 2027: { tet: ['2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10'], source: 'test data' } },
    });
    expect(calendar.isWorkingDay('2027-02-04')).toBe(false);
    expect(calendar.isWorkingDay('2027-02-11')).toBe(true);
    expect(isWorkingDay('2027-02-04')).toBe(true);
  });

  it('refuses years outside the data instead of guessing', () => {
    expect(() => isWorkingDay('2041-03-01')).toThrow(RangeError);
    expect(() => holidaysIn(2014)).toThrow(RangeError);
  });
});

describe('addWorkingDays / workingDaysBetween', () => {
  it('counts from the next day and skips weekends', () => {
    expect(addWorkingDays('2026-11-27', 1)).toBe('2026-11-30'); // Friday → Monday
    expect(addWorkingDays('2026-11-27', 3)).toBe('2026-12-02');
    expect(addWorkingDays('2026-11-28', 1)).toBe('2026-11-30'); // from a Saturday
    expect(addWorkingDays('2026-11-30', 0)).toBe('2026-11-30');
    expect(addWorkingDays('2026-11-30', -1)).toBe('2026-11-27');
  });

  it('crosses Tết 2026', () => {
    expect(addWorkingDays('2026-02-12', 1)).toBe('2026-02-13');
    expect(addWorkingDays('2026-02-12', 2)).toBe('2026-02-23');
    expect(addWorkingDays('2026-02-13', 3)).toBe('2026-02-25');
    expect(workingDaysBetween('2026-02-13', '2026-02-23')).toBe(1);
    expect(workingDaysBetween('2026-02-23', '2026-02-13')).toBe(-1);
  });

  it('crosses the 2026 Hùng Kings/30 April/1 May cluster', () => {
    expect(addWorkingDays('2026-04-24', 1)).toBe('2026-04-28');
    expect(addWorkingDays('2026-04-29', 1)).toBe('2026-05-04');
  });

  // Far enough inside 2015–2040 that ±120 working days stay within the data.
  const date = fc.integer({ min: toDayNumber('2015-07-01'), max: toDayNumber('2039-06-30') }).map(fromDayNumber);
  const n = fc.integer({ min: 1, max: 120 });

  it('addWorkingDays(d, n ≥ 1) is always a working day, after d', () => {
    fc.assert(
      fc.property(date, n, (d, k) => {
        const due = addWorkingDays(d, k);
        expect(isWorkingDay(due)).toBe(true);
        expect(due > d).toBe(true);
      }),
    );
  });

  it('is strictly increasing in n', () => {
    fc.assert(
      fc.property(date, n, n, (d, a, b) => {
        fc.pre(a !== b);
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(addWorkingDays(d, lo) < addWorkingDays(d, hi)).toBe(true);
      }),
    );
  });

  it('workingDaysBetween(d, addWorkingDays(d, n)) = n for n ≥ 0 from any day, and for any n from a working day', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -60, max: 60 }), (d, k) => {
        expect(workingDaysBetween(d, addWorkingDays(d, Math.abs(k)))).toBe(Math.abs(k));
        const start = addWorkingDays(d, 1);
        expect(workingDaysBetween(start, addWorkingDays(start, k))).toBe(k);
        expect(addWorkingDays(addWorkingDays(start, k), -k)).toBe(start);
      }),
    );
  });
});
