/**
 * Due dates derived from case facts, as data. The rehab-case decider records the facts (dates and
 * terms); these rules only say which date follows from which fact.
 */
export type DateFact =
  /** The addiction determination found the person addicted (a positive result). */
  | 'addictionConfirmedOn'
  /** The date of the decision on the form of rehab. */
  | 'formDecidedOn'
  | 'rehabStartedOn'
  | 'rehabCompletedOn'
  | 'rehabDiscontinuedOn'
  | 'postRehabStartedOn'
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
  /** Facts that, recorded on or before the `from` fact, mean the deadline never arose. */
  readonly unlessBefore?: readonly DateFact[];
  /** true while the rule's legal source is unconfirmed (as in the law table, legal-regimes.ts). */
  readonly verify: boolean;
  /** Where the rule comes from. */
  readonly source: string;
}

export const DEADLINE_RULES: readonly DeadlineRule[] = [
  {
    // A voluntary form decided before the determination leaves nothing to decide.
    name: 'decision-after-positive-determination',
    description: 'Decision on the form of rehab due 3 working days after the person is determined to be addicted',
    from: 'addictionConfirmedOn',
    offset: { unit: 'WORKING_DAYS', amount: 3 },
    rollToWorkingDay: true,
    metBy: ['formDecidedOn', 'closedOn'],
    unlessBefore: ['formDecidedOn'],
    verify: true,
    source:
      'Not found in the glossary or the source article; carried over from the first version of this service. Law 73/2021 and Decree 116/2021 set short working-day periods for the compulsory-rehab dossier after a positive determination — confirm the article and the number of days',
  },
  {
    name: 'rehab-term-end',
    description: 'End of the rehabilitation term',
    from: 'rehabStartedOn',
    offset: { unit: 'MONTHS', amountFrom: 'termMonths' },
    rollToWorkingDay: false,
    metBy: ['rehabCompletedOn', 'rehabDiscontinuedOn', 'closedOn'],
    verify: false,
    source: 'The term as decided (legal-regimes.ts, with its own source notes) counted from the start of rehab',
  },
  {
    name: 'post-rehab-management-end',
    description: 'End of post-rehab management at the place of residence',
    from: 'postRehabStartedOn',
    offset: { unit: 'MONTHS', amountFrom: 'postRehabTermMonths' },
    rollToWorkingDay: false,
    // The case is closed once the term has run (a relapse ends the case's management too).
    metBy: ['closedOn'],
    verify: true,
    source: 'The post-rehab term as decided; glossary: 1 year (verify)',
  },
];
