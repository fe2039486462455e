/**
 * Due dates derived from case facts, as data. The rehab-case decider records the facts (dates and
 * terms); these rules only say which date follows from which fact.
 */
export type DateFact =
  | 'positiveTestOn'
  | 'positiveTestDecisionOn'
  | 'rehabStartedOn'
  | 'rehabCompletedOn'
  | 'rehabDiscontinuedOn'
  | 'postRehabStartedOn'
  | 'postRehabEndedOn'
  | 'closedOn';

/** Terms in months as decided for this case (after any term reduction). */
export type NumberFact = 'termMonths' | 'postRehabTermMonths';

export type Offset =
  | { readonly unit: 'WORKING_DAYS'; readonly amount: number }
  | { readonly unit: 'MONTHS'; readonly amount: number }
  | { readonly unit: 'MONTHS'; readonly amountFrom: NumberFact };

export interface DeadlineRule {
  readonly name: string;
  readonly description: string;
  readonly from: DateFact;
  readonly offset: Offset;
  /**
   * Civil Code 2015 Art. 148(5): a period whose last day is a day off ends on the next working day.
   * Not for the end of a term: a term ends on its date whatever the weekday.
   */
  readonly rollToWorkingDay: boolean;
  /** Facts (on or after the `from` fact) that discharge the deadline. */
  readonly metBy: readonly DateFact[];
}

export const DEADLINE_RULES: readonly DeadlineRule[] = [
  {
    name: 'decision-after-positive-test',
    description: 'Decision due 3 working days after a positive drug test',
    from: 'positiveTestOn',
    offset: { unit: 'WORKING_DAYS', amount: 3 },
    rollToWorkingDay: true,
    metBy: ['positiveTestDecisionOn', 'closedOn'],
  },
  {
    name: 'rehab-term-end',
    description: 'End of the rehabilitation term',
    from: 'rehabStartedOn',
    offset: { unit: 'MONTHS', amountFrom: 'termMonths' },
    rollToWorkingDay: false,
    metBy: ['rehabCompletedOn', 'rehabDiscontinuedOn', 'closedOn'],
  },
  {
    name: 'post-rehab-management-end',
    description: 'End of post-rehab management at the place of residence',
    from: 'postRehabStartedOn',
    offset: { unit: 'MONTHS', amountFrom: 'postRehabTermMonths' },
    rollToWorkingDay: false,
    metBy: ['postRehabEndedOn', 'closedOn'],
  },
];
