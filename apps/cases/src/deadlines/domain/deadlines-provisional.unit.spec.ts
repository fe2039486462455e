import { deadlinesFor } from './deadlines';

describe('deadlines counted over a year without an official holiday decision (issue 11)', () => {
  it('are marked provisional; those within decided years are not', () => {
    const decided = deadlinesFor({ caseId: 'c-1', dates: { addictionConfirmedOn: '2026-02-13' } });
    expect(decided.length).toBeGreaterThan(0);
    for (const deadline of decided) expect(deadline.provisional).toBeUndefined();

    // Counted from the last days of 2026 into January 2027, for which no decision exists yet.
    const crossing = deadlinesFor({ caseId: 'c-2', dates: { addictionConfirmedOn: '2026-12-30' } });
    expect(crossing.length).toBeGreaterThan(0);
    for (const deadline of crossing) expect([deadline.dueOn > '2026-12-31', deadline.provisional]).toEqual([true, true]);
  });

  it('a term in months that is not rolled to a working day does not depend on the holiday calendar', () => {
    const term = deadlinesFor({ caseId: 'c-3', dates: { rehabStartedOn: '2026-12-01' }, numbers: { termMonths: 12 } }).find((d) => d.rule === 'rehab-term-end');
    expect(term?.dueOn).toBe('2027-12-01');
    expect(term?.provisional).toBeUndefined();
  });
});
