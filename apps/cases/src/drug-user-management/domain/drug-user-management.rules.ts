import type { LocalDate } from '../../rehab-case/domain/local-date';
import type { AgeGroup, Sourced } from '../../rehab-case/domain/legal-regimes';

/**
 * Management of illegal drug users (quản lý người sử dụng trái phép chất ma túy) as data: one row
 * per law, selected by the decision date like the rehab law table. Values from the glossary and
 * Law 73/2021/QH14 Art. 23–26 as read from secondary sources: every row is `verify: true`.
 */
export const EARLY_TERMINATION_REASONS = [
  /** Determined addicted during management: the rehab measures take over. */
  'DETERMINED_ADDICTED',
  /** An administrative measure is applied (education in the commune, reformatory, compulsory education or compulsory rehab). */
  'ADMINISTRATIVE_MEASURE',
  /** Held in custody or serving a prison sentence. */
  'CRIMINAL_CUSTODY',
  'DECEASED',
] as const;
export type EarlyTerminationReason = (typeof EARLY_TERMINATION_REASONS)[number];

export interface DrugUserManagementRule extends Sourced {
  readonly id: 'LAW_73_2021_QH14' | 'LAW_120_2025_QH15';
  readonly effectiveFrom: LocalDate;
  readonly effectiveUntil: LocalDate | null;
  readonly termMonths: number;
  /** Age groups the measure applies to (from full 12 years). */
  readonly ageGroups: readonly AgeGroup[];
  /** A positive test during management starts the term again from the test date. */
  readonly positiveTestRestartsTerm: boolean;
  readonly earlyTerminationReasons: readonly EarlyTerminationReason[];
}

export const DRUG_USER_MANAGEMENT_RULES: readonly DrugUserManagementRule[] = [
  {
    id: 'LAW_73_2021_QH14',
    effectiveFrom: '2022-01-01',
    effectiveUntil: '2026-07-01',
    termMonths: 12,
    ageGroups: ['MINOR', 'ADULT'],
    positiveTestRestartsTerm: true,
    earlyTerminationReasons: EARLY_TERMINATION_REASONS,
    verify: true,
    source:
      'Law 73/2021/QH14 Art. 23 (subjects from full 12 years with a positive test; decided by the commune chair where the person lives; 1 year; renewed use restarts the term) and Art. 24–26 (duties; ends early when determined addicted, an administrative measure or custody applies, or on death) — article contents from secondary sources',
  },
  {
    id: 'LAW_120_2025_QH15',
    effectiveFrom: '2026-07-01',
    effectiveUntil: null,
    termMonths: 12,
    ageGroups: ['MINOR', 'ADULT'],
    positiveTestRestartsTerm: true,
    earlyTerminationReasons: EARLY_TERMINATION_REASONS,
    verify: true,
    source: 'Glossary: Law 120/2025/QH15, management of illegal drug users 1 year by the commune (verify); the rest carried over from Law 73/2021',
  },
];

export function drugUserManagementRuleFor(decisionDate: LocalDate): DrugUserManagementRule | undefined {
  return DRUG_USER_MANAGEMENT_RULES.find((r) => decisionDate >= r.effectiveFrom && (r.effectiveUntil === null || decisionDate < r.effectiveUntil));
}
