import { deadlinesFor } from './deadlines';
import type { DeadlineRule } from './deadline-rules.data';

describe('deadlinesFor', () => {
  it('a decision is due 3 working days after a positive determination (Friday before Tết 2026 → 25 February)', () => {
    expect(deadlinesFor({ caseId: 'c-1', dates: { addictionConfirmedOn: '2026-02-13' } })).toEqual([
      {
        caseId: 'c-1',
        rule: 'decision-after-positive-determination',
        description: 'Decision on the form of rehab due 3 working days after the person is determined to be addicted',
        dueOn: '2026-02-25',
        status: 'OPEN',
      },
    ]);
  });

  it('the form decision after the determination meets it; one made before means it never arose', () => {
    const [met] = deadlinesFor({ caseId: 'c-1', dates: { addictionConfirmedOn: '2026-03-02', formDecidedOn: '2026-03-04' } });
    expect(met).toMatchObject({ status: 'MET', metOn: '2026-03-04', dueOn: '2026-03-05' });
    expect(deadlinesFor({ caseId: 'c-1', dates: { addictionConfirmedOn: '2026-03-02', formDecidedOn: '2026-02-20' } })).toEqual([]);
    expect(deadlinesFor({ caseId: 'c-1', dates: { addictionConfirmedOn: '2026-03-02', formDecidedOn: '2026-03-02' } })).toEqual([]);
  });

  it('end of term = start + term months; end of post-rehab management likewise', () => {
    const deadlines = deadlinesFor({
      caseId: 'c-2',
      dates: { rehabStartedOn: '2025-08-31', rehabCompletedOn: '2026-02-28', postRehabStartedOn: '2026-03-02' },
      numbers: { termMonths: 6, postRehabTermMonths: 12 },
    });
    expect(deadlines.map((d) => [d.rule, d.dueOn, d.status])).toEqual([
      ['rehab-term-end', '2026-02-28', 'MET'],
      ['post-rehab-management-end', '2027-03-02', 'OPEN'],
    ]);
  });

  it('a term end is not moved off a weekend (the term ends on its date)', () => {
    const [end] = deadlinesFor({ caseId: 'c-3', dates: { rehabStartedOn: '2026-05-30' }, numbers: { termMonths: 12 } });
    expect(end?.dueOn).toBe('2027-05-30'); // a Sunday
  });

  it('gives no deadline while the term is unknown, and none before the fact', () => {
    expect(deadlinesFor({ caseId: 'c-4', dates: { rehabStartedOn: '2026-05-30' } })).toEqual([]);
    expect(deadlinesFor({ caseId: 'c-4', dates: {} })).toEqual([]);
  });

  it('closing the case meets every open deadline', () => {
    const deadlines = deadlinesFor({
      caseId: 'c-5',
      dates: { addictionConfirmedOn: '2026-03-02', rehabStartedOn: '2026-03-02', closedOn: '2026-03-03' },
      numbers: { termMonths: 6 },
    });
    expect(deadlines.map((d) => d.status)).toEqual(['MET', 'MET']);
  });

  it('rules are data: a fixed-month rule rolled to a working day', () => {
    const rules: DeadlineRule[] = [
      {
        name: 'review',
        description: 'Review',
        from: 'rehabStartedOn',
        offset: { unit: 'MONTHS', amount: 1 },
        rollToWorkingDay: true,
        metBy: [],
        verify: false,
        source: 'test',
      },
    ];
    // 2026-03-28 + 1 month = 2026-04-28 (Tuesday, working); 2026-03-30 + 1 month = 30 April (holiday) → 4 May.
    expect(deadlinesFor({ caseId: 'c', dates: { rehabStartedOn: '2026-03-28' } }, rules)[0]?.dueOn).toBe('2026-04-28');
    expect(deadlinesFor({ caseId: 'c', dates: { rehabStartedOn: '2026-03-30' } }, rules)[0]?.dueOn).toBe('2026-05-04');
  });

  it('gives no working-day deadline for a fact in a year the calendar does not cover, instead of failing', () => {
    expect(deadlinesFor({ caseId: 'c-6', dates: { addictionConfirmedOn: '2014-06-02' } })).toEqual([]);
    // A month-based term needs no calendar: still computed.
    expect(deadlinesFor({ caseId: 'c-6', dates: { rehabStartedOn: '2014-06-02' }, numbers: { termMonths: 6 } })).toEqual([
      expect.objectContaining({ rule: 'rehab-term-end', dueOn: '2014-12-02' }),
    ]);
  });
});
