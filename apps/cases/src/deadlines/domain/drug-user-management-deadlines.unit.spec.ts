import { deadlinesFor } from './deadlines';
import { DEADLINE_RULES } from './deadline-rules.data';

const ruleOf = (name: string) => DEADLINE_RULES.find((rule) => rule.name === name);

describe('deadlines of the management of illegal drug users (Law 73/2021 Art. 23–26)', () => {
  describe('drug-user-management-decision: after a determination of use without addiction', () => {
    it('is due 5 working days later, across a weekend (Mon 2 March 2026 → Mon 9 March)', () => {
      expect(deadlinesFor({ caseId: 'c-1', dates: { notAddictedDeterminedOn: '2026-03-02' } })).toEqual([
        {
          caseId: 'c-1',
          rule: 'drug-user-management-decision',
          description: expect.stringContaining('management of the illegal drug user'),
          dueOn: '2026-03-09',
          status: 'OPEN',
        },
      ]);
    });

    it('skips the Tết 2026 holiday: determined Friday 13 February → due Friday 27 February', () => {
      const [due] = deadlinesFor({ caseId: 'c-2', dates: { notAddictedDeterminedOn: '2026-02-13' } });
      expect(due?.dueOn).toBe('2026-02-27');
    });

    it('is met by the decision (on either side of the due day) or by closing the case', () => {
      const onTime = deadlinesFor({ caseId: 'c-3', dates: { notAddictedDeterminedOn: '2026-03-02', drugUserManagementDecidedOn: '2026-03-09' } });
      expect(onTime).toEqual([expect.objectContaining({ status: 'MET', metOn: '2026-03-09', dueOn: '2026-03-09' })]);
      const late = deadlinesFor({ caseId: 'c-3', dates: { notAddictedDeterminedOn: '2026-03-02', drugUserManagementDecidedOn: '2026-03-10' } });
      expect(late).toEqual([expect.objectContaining({ status: 'MET', metOn: '2026-03-10', dueOn: '2026-03-09' })]);
      const closed = deadlinesFor({ caseId: 'c-3', dates: { notAddictedDeterminedOn: '2026-03-02', closedOn: '2026-03-04' } });
      expect(closed).toEqual([expect.objectContaining({ status: 'MET', metOn: '2026-03-04' })]);
    });

    it('a decision dated before the determination does not meet it', () => {
      const [due] = deadlinesFor({ caseId: 'c-4', dates: { notAddictedDeterminedOn: '2026-03-02', drugUserManagementDecidedOn: '2026-02-27' } });
      expect(due?.status).toBe('OPEN');
    });

    it('is provisional when counted into a year without an official holiday decision (2027)', () => {
      const [due] = deadlinesFor({ caseId: 'c-5', dates: { notAddictedDeterminedOn: '2026-12-28' } });
      // 29, 30, 31 December; 1 January is New Year's Day; 4 and 5 January.
      expect([due?.dueOn, due?.provisional]).toEqual(['2027-01-05', true]);
      const [inDecidedYear] = deadlinesFor({ caseId: 'c-5', dates: { notAddictedDeterminedOn: '2026-12-01' } });
      expect(inDecidedYear?.provisional).toBeUndefined();
    });

    it('keeps its verify mark and source, as the other unconfirmed rules', () => {
      expect(ruleOf('drug-user-management-decision')).toMatchObject({ verify: true, source: expect.stringContaining('Law 73/2021') });
    });
  });

  describe('drug-user-management-end: the end of the one-year term', () => {
    const management = (termStartedOn: string, endedOn?: string) =>
      deadlinesFor({
        caseId: 'm-1',
        dates: { drugUserManagementTermStartedOn: termStartedOn, ...(endedOn === undefined ? {} : { drugUserManagementEndedOn: endedOn }) },
        numbers: { drugUserManagementTermMonths: 12 },
      });

    it('is one year from the start, on its date even on a weekend (Sun 1 August 2027), never provisional', () => {
      expect(management('2026-08-01')).toEqual([
        {
          caseId: 'm-1',
          rule: 'drug-user-management-end',
          description: expect.stringContaining('one-year management'),
          dueOn: '2027-08-01',
          status: 'OPEN',
        },
      ]);
    });

    it('counts from the positive test that restarted the term', () => {
      expect(management('2026-10-05')[0]?.dueOn).toBe('2027-10-05');
    });

    it('the end of a month with no such day in the next year: 29 February 2028 → 28 February 2029', () => {
      expect(management('2028-02-29')[0]?.dueOn).toBe('2029-02-28');
    });

    it('is met by the end at term or an early end, not by a date before the term started', () => {
      expect(management('2026-08-01', '2027-08-02')[0]).toMatchObject({ status: 'MET', metOn: '2027-08-02' });
      expect(management('2026-08-01', '2026-11-20')[0]).toMatchObject({ status: 'MET', metOn: '2026-11-20' });
      expect(management('2026-08-01', '2026-07-31')[0]?.status).toBe('OPEN');
    });

    it('gives nothing while the term is unknown', () => {
      expect(deadlinesFor({ caseId: 'm-2', dates: { drugUserManagementTermStartedOn: '2026-08-01' } })).toEqual([]);
    });
  });
});
