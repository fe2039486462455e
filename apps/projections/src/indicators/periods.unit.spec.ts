import { daysIn, parseCalendarPeriod, periodsBetween } from './periods';

describe('periods', () => {
  it('reads a month, a quarter and a year, with their first and last days', () => {
    expect(parseCalendarPeriod('2024-02')).toEqual({ kind: 'MONTH', label: '2024-02', from: '2024-02-01', to: '2024-02-29' });
    expect(parseCalendarPeriod('2022-Q3')).toEqual({ kind: 'QUARTER', label: '2022-Q3', from: '2022-07-01', to: '2022-09-30' });
    expect(parseCalendarPeriod('2022')).toEqual({ kind: 'YEAR', label: '2022', from: '2022-01-01', to: '2022-12-31' });
  });

  it('names nothing for plan and for labels that are not periods', () => {
    for (const label of ['plan', '2022-13', '2022-Q5', '22', '2022-7']) expect(parseCalendarPeriod(label)).toBeUndefined();
  });

  it('lists every period between two days, the partial ones at both ends included', () => {
    expect(periodsBetween('QUARTER', '2022-05-20', '2022-12-31').map((p) => p.label)).toEqual(['2022-Q2', '2022-Q3', '2022-Q4']);
    expect(periodsBetween('MONTH', '2022-11-15', '2023-01-02').map((p) => p.label)).toEqual(['2022-11', '2022-12', '2023-01']);
  });

  it('counts the days of a period, both ends included', () => {
    expect(daysIn('2022-01-01', '2022-12-31')).toBe(365);
    expect(daysIn('2022-07-01', '2022-07-01')).toBe(1);
  });
});
