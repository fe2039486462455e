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
  | 'closedOn'
  /** The addiction determination found illegal use but no addiction (the case's nextStep DRUG_USER_MANAGEMENT). */
  | 'notAddictedDeterminedOn'
  /** The commune chair's decision to manage the illegal drug user (Law 73/2021 Art. 23). */
  | 'drugUserManagementDecidedOn'
  /** Where a management's running term counts from: its start, or the positive test that restarted it. */
  | 'drugUserManagementTermStartedOn'
  /** The management ended at term or early. */
  | 'drugUserManagementEndedOn';

/** Terms in months as decided for this case (after any term reduction). */
export type NumberFact = 'termMonths' | 'postRehabTermMonths' | 'drugUserManagementTermMonths';

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
  {
    // Only a case still open: closing it names the management that took over (or it never arose).
    name: 'drug-user-management-decision',
    description: 'Decision on the management of the illegal drug user due after the determination found use but no addiction',
    from: 'notAddictedDeterminedOn',
    offset: { unit: 'WORKING_DAYS', amount: 5 },
    rollToWorkingDay: true,
    metBy: ['drugUserManagementDecidedOn', 'closedOn'],
    verify: true,
    source:
      'Law 73/2021/QH14 Art. 23 (the commune chair decides management of an illegal drug user from full 12 years) and Decree 105/2021/ND-CP ch. IV (procedure); the number of working days (5) is not confirmed from the text — verify the article and the period',
  },
  {
    name: 'drug-user-management-end',
    description: 'End of the one-year management of the illegal drug user (restarted by a positive test)',
    from: 'drugUserManagementTermStartedOn',
    offset: { unit: 'MONTHS', amountFrom: 'drugUserManagementTermMonths' },
    // A term ends on its date whatever the weekday.
    rollToWorkingDay: false,
    metBy: ['drugUserManagementEndedOn'],
    verify: true,
    source:
      'The term as decided (drug-user-management.rules.ts: 12 months, a positive test restarts it; verify: true there) counted from the start or the restarting test',
  },
];
