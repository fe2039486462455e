import { addDays } from './iso-date';
import { OFFICIAL_YEAR_DATA } from './holiday-calendar.data';
import { DEFAULT_HOLIDAY_DATA } from './holidays';
import { addWorkingDays, createWorkingDayCalendar, isProvisionalBetween, isWorkingDay, isYearDecided, workingDayDeadline } from './working-days';

const offDays = (from: string, to: string): string[] => {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (!isWorkingDay(d)) days.push(d);
  return days;
};
const span = (from: string, to: string): string[] => {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
};

describe('official holiday decisions (issue 11)', () => {
  it('Tết 2021: off 10–16 February, the day before and after worked', () => {
    expect(offDays('2021-02-08', '2021-02-19')).toEqual(span('2021-02-10', '2021-02-16'));
  });

  it('Tết 2022: off 29 January – 6 February', () => {
    expect(offDays('2022-01-27', '2022-02-08')).toEqual(span('2022-01-29', '2022-02-06'));
  });

  it('Tết 2023: off Friday 20 – Thursday 26 January; Friday 27 January worked', () => {
    expect(offDays('2023-01-18', '2023-01-28')).toEqual([...span('2023-01-20', '2023-01-26'), '2023-01-28']);
    expect(isWorkingDay('2023-01-27')).toBe(true);
  });

  it('Tết 2024: off Thursday 8 – Wednesday 14 February', () => {
    expect(offDays('2024-02-06', '2024-02-16')).toEqual(span('2024-02-08', '2024-02-14'));
  });

  it('Tết 2025: off Saturday 25 January – Sunday 2 February; Monday 3 February worked, no Saturday made up', () => {
    expect(offDays('2025-01-23', '2025-02-07')).toEqual(span('2025-01-25', '2025-02-02'));
    expect(isWorkingDay('2025-02-03')).toBe(true);
    expect(isWorkingDay('2025-02-08')).toBe(false);
  });

  it('New Year 2026: off 1–4 January, Friday 2 January swapped with Saturday 10 January', () => {
    expect(offDays('2025-12-31', '2026-01-11')).toEqual([...span('2026-01-01', '2026-01-04'), '2026-01-11']);
    expect(isWorkingDay('2026-01-10')).toBe(true);
    expect(isWorkingDay('2026-01-05')).toBe(true);
  });

  it('National Day 2026: off Saturday 29 August – Wednesday 2 September, Saturday 22 August worked', () => {
    expect(offDays('2026-08-21', '2026-09-04')).toEqual(['2026-08-23', ...span('2026-08-29', '2026-09-02')]);
    expect(isWorkingDay('2026-08-22')).toBe(true);
    expect(isWorkingDay('2026-09-03')).toBe(true);
  });

  it('deadlines over the decided days', () => {
    // Saturday 22 August 2026 is worked; from Friday 28 August the next working day is Thursday 3 September.
    expect(addWorkingDays('2026-08-21', 1)).toBe('2026-08-22');
    expect(addWorkingDays('2026-08-28', 1)).toBe('2026-09-03');
    expect(addWorkingDays('2025-12-31', 1)).toBe('2026-01-05');
    expect(addWorkingDays('2026-01-09', 1)).toBe('2026-01-10');
    expect(addWorkingDays('2025-01-24', 1)).toBe('2025-02-03');
  });

  it('cites a source for every decided year', () => {
    for (const [year, data] of Object.entries(OFFICIAL_YEAR_DATA)) {
      expect([year, data.source.length > 40]).toEqual([year, true]);
    }
  });
});

describe('provisional deadlines: the rule-based fallback for a year without a decision', () => {
  it('knows which years are decided', () => {
    for (const year of [2021, 2022, 2023, 2024, 2025, 2026]) expect([year, isYearDecided(year)]).toEqual([year, true]);
    for (const year of [2019, 2020, 2027, 2030]) expect([year, isYearDecided(year)]).toEqual([year, false]);
  });

  it('labels a deadline provisional when its span reaches an undecided year, on each side of 1 January 2027', () => {
    expect(workingDayDeadline('2026-12-01', 5)).toEqual({ dueOn: '2026-12-08', provisional: false });
    expect(workingDayDeadline('2026-12-30', 1)).toEqual({ dueOn: '2026-12-31', provisional: false });
    expect(workingDayDeadline('2026-12-31', 1)).toEqual({ dueOn: '2027-01-04', provisional: true });
    expect(workingDayDeadline('2027-03-01', 3).provisional).toBe(true);
    expect(isProvisionalBetween('2027-01-04', '2026-12-31')).toBe(true);
    expect(isProvisionalBetween('2021-01-04', '2026-12-31')).toBe(false);
    expect(isProvisionalBetween('2020-12-31', '2021-01-04')).toBe(true);
  });

  it('becomes final once the year is decided (injected data)', () => {
    const decided = createWorkingDayCalendar({
      ...DEFAULT_HOLIDAY_DATA,
      official: { ...DEFAULT_HOLIDAY_DATA.official, 2027: { tet: ['2027-02-04'], nationalDayAdjacent: '09-03', source: 'test data' } },
    });
    expect(decided.workingDayDeadline('2026-12-31', 1)).toEqual({ dueOn: '2027-01-04', provisional: false });
    // Tết only, no National Day choice yet: still provisional.
    const half = createWorkingDayCalendar({ ...DEFAULT_HOLIDAY_DATA, official: { 2027: { tet: ['2027-02-04'], source: 'test data' } } });
    expect(half.isYearDecided(2027)).toBe(false);
  });
});
