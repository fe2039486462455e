import type { LocalDate } from './local-date';

/**
 * The law as data. Every rule of the rehab-case decider that depends on the law reads this table,
 * so a change in the law is a new row (or a corrected value), never a new `if`.
 *
 * Values come from /work/shared/domain/GLOSSARY.md. Where the glossary marks a fact *(verify)*, or
 * where it is silent and a value had to be carried over, the entry has `verify: true` and a
 * `source` saying where the value comes from; a lawyer should confirm those before go-live.
 */

export const REHAB_FORMS = ['VOLUNTARY_COMMUNITY', 'VOLUNTARY_FACILITY', 'COMPULSORY_FACILITY', 'SUBSTITUTION_THERAPY', 'CEDEMEX_PILOT'] as const;
export type RehabForm = (typeof REHAB_FORMS)[number];

/** Who signs a decision. */
export const ISSUING_BODIES = ['COMMUNE_CHAIR', 'COURT', 'FACILITY_DIRECTOR', 'TREATMENT_FACILITY'] as const;
export type IssuingBody = (typeof ISSUING_BODIES)[number];

/**
 * The person's age group on the date of a decision. `CHILD` (under 12 full years) exists because
 * compulsory rehab applies only from 12 (Law 73/2021 Art. 33); a child's voluntary course follows
 * the minors' terms.
 */
export type AgeGroup = 'ADULT' | 'MINOR' | 'CHILD';

export interface TermRange {
  readonly minMonths: number;
  readonly maxMonths: number;
}

export interface Sourced {
  /** true when the value is unconfirmed (glossary says *(verify)*, or the value was carried over). */
  readonly verify: boolean;
  readonly source: string;
}

export interface FormTerms {
  readonly adultFirstCourse: TermRange;
  readonly adultLaterCourse: TermRange;
  readonly minor: TermRange;
}

export interface FormRule extends Sourced {
  readonly issuedBy: readonly IssuingBody[];
  /** Age groups the form may be decided for; absent: every age group. */
  readonly ageGroups?: readonly AgeGroup[];
  /** null: the form has no fixed term (methadone maintenance lasts as long as it is clinically needed). */
  readonly terms: FormTerms | null;
}

export interface TermReductionRule extends Sourced {
  readonly forms: readonly RehabForm[];
  /** Who decides a reduction, per form: a court-ordered term is cut only by the court. */
  readonly issuedBy: Readonly<Partial<Record<RehabForm, readonly IssuingBody[]>>>;
  /** Forms whose reduction is decided on the facility's proposal (its number and date are recorded). */
  readonly onFacilityProposal: readonly RehabForm[];
  readonly minMonths: number;
  readonly maxMonths: number;
  /** Share of the decided term that must have been served before a reduction can be decided. */
  readonly afterShareServed: number;
  readonly maxReductions: number;
}

export interface PostRehabRule extends Sourced {
  readonly issuedBy: readonly IssuingBody[];
  readonly term: TermRange;
  /** The form a relapse during post-rehab management is a ground for. */
  readonly relapseDuringManagementLeadsTo: RehabForm;
}

export type LegalRegimeId = 'LAW_73_2021_QH14' | 'LAW_120_2025_QH15';

export interface LegalRegime {
  readonly id: LegalRegimeId;
  readonly name: string;
  /** First day (inclusive) a decision date falls under this regime. */
  readonly effectiveFrom: LocalDate;
  /** First day (exclusive) it no longer does; null while in force. */
  readonly effectiveUntil: LocalDate | null;
  /** Forms a decision may take under this regime; a form absent here is not allowed. */
  readonly forms: Readonly<Partial<Record<RehabForm, FormRule>>>;
  readonly termReduction: TermReductionRule;
  readonly postRehabManagement: PostRehabRule;
}

const LAW_73_VOLUNTARY: FormTerms = {
  adultFirstCourse: { minMonths: 6, maxMonths: 12 },
  adultLaterCourse: { minMonths: 6, maxMonths: 12 },
  minor: { minMonths: 6, maxMonths: 12 },
};

const LAW_73_COMPULSORY: FormTerms = {
  adultFirstCourse: { minMonths: 12, maxMonths: 24 },
  adultLaterCourse: { minMonths: 12, maxMonths: 24 },
  minor: { minMonths: 6, maxMonths: 12 },
};

/*
 * Law 120/2025/QH15: the glossary gives 24 months for a first course and 36 for later ones. We read
 * those as the maximum term; it gives no minimum and nothing for minors, so those are carried over
 * from Law 73/2021 and flagged.
 */
const LAW_120_VOLUNTARY: FormTerms = {
  adultFirstCourse: { minMonths: 6, maxMonths: 24 },
  adultLaterCourse: { minMonths: 6, maxMonths: 36 },
  minor: { minMonths: 6, maxMonths: 12 },
};

const LAW_120_COMPULSORY: FormTerms = {
  adultFirstCourse: { minMonths: 12, maxMonths: 24 },
  adultLaterCourse: { minMonths: 12, maxMonths: 36 },
  minor: { minMonths: 6, maxMonths: 12 },
};

/**
 * Who may cut a term, per form: the body that set it. A compulsory term is a court order, so a
 * facility proposes and the court decides; a facility director cannot shorten it on their own.
 */
const TERM_REDUCTION_ISSUERS: Readonly<Partial<Record<RehabForm, readonly IssuingBody[]>>> = {
  VOLUNTARY_COMMUNITY: ['COMMUNE_CHAIR'],
  VOLUNTARY_FACILITY: ['FACILITY_DIRECTOR'],
  COMPULSORY_FACILITY: ['COURT'],
  CEDEMEX_PILOT: ['COMMUNE_CHAIR', 'FACILITY_DIRECTOR'],
};

export const LEGAL_REGIMES: readonly LegalRegime[] = [
  {
    id: 'LAW_73_2021_QH14',
    name: 'Law 73/2021/QH14',
    effectiveFrom: '2022-01-01',
    effectiveUntil: '2026-07-01',
    forms: {
      VOLUNTARY_COMMUNITY: {
        issuedBy: ['COMMUNE_CHAIR'],
        terms: LAW_73_VOLUNTARY,
        verify: true,
        source: 'Glossary: Law 73/2021 Art. 28, voluntary 6–12 months (verify); minors assumed same range',
      },
      VOLUNTARY_FACILITY: {
        issuedBy: ['FACILITY_DIRECTOR'],
        terms: LAW_73_VOLUNTARY,
        verify: true,
        source: 'Glossary: voluntary 6–12 months (verify); issuer (facility director, by agreement) not in glossary',
      },
      COMPULSORY_FACILITY: {
        issuedBy: ['COURT'],
        terms: LAW_73_COMPULSORY,
        ageGroups: ['MINOR', 'ADULT'],
        verify: true,
        source:
          'Glossary: compulsory by court decision; adults 12–24 months, minors 12–<18 years 6–12 months (verify); Law 73/2021 Art. 33: compulsory rehab for minors applies from full 12 years, none under 12',
      },
      SUBSTITUTION_THERAPY: {
        issuedBy: ['TREATMENT_FACILITY'],
        terms: null,
        verify: true,
        source: 'Glossary: methadone under Decree 90/2016; issuer (treatment facility) and open-ended term not in glossary',
      },
      CEDEMEX_PILOT: {
        issuedBy: ['COMMUNE_CHAIR', 'FACILITY_DIRECTOR'],
        terms: LAW_73_VOLUNTARY,
        verify: true,
        source: 'Glossary: Quảng Ninh 2022 pilot (communes and provincial facility); term and issuer not given, voluntary values assumed',
      },
    },
    termReduction: {
      forms: ['VOLUNTARY_COMMUNITY', 'VOLUNTARY_FACILITY', 'COMPULSORY_FACILITY', 'CEDEMEX_PILOT'],
      issuedBy: TERM_REDUCTION_ISSUERS,
      onFacilityProposal: ['COMPULSORY_FACILITY'],
      minMonths: 3,
      maxMonths: 6,
      afterShareServed: 0.5,
      maxReductions: 1,
      verify: true,
      source:
        "Glossary: cut by 3–6 months after half served with merit, Decree 116/2021 (verify); forms and one-reduction limit assumed. Issuers (verify): a compulsory term is set by the court (Ordinance 01/2022/UBTVQH15), so only the court reduces it, on the facility's proposal; a voluntary term by whoever decided it",
    },
    postRehabManagement: {
      issuedBy: ['COMMUNE_CHAIR'],
      term: { minMonths: 12, maxMonths: 12 },
      relapseDuringManagementLeadsTo: 'COMPULSORY_FACILITY',
      verify: true,
      source: 'Glossary: at the place of residence, decided by the commune chair, 1 year (verify)',
    },
  },
  {
    id: 'LAW_120_2025_QH15',
    name: 'Law 120/2025/QH15',
    effectiveFrom: '2026-07-01',
    effectiveUntil: null,
    forms: {
      VOLUNTARY_COMMUNITY: {
        issuedBy: ['COMMUNE_CHAIR'],
        terms: LAW_120_VOLUNTARY,
        verify: true,
        source: 'Glossary: terms 24 months first course / 36 later (verify), read as maxima; minimum and minors carried over from Law 73/2021',
      },
      VOLUNTARY_FACILITY: {
        issuedBy: ['FACILITY_DIRECTOR'],
        terms: LAW_120_VOLUNTARY,
        verify: true,
        source: 'Glossary: terms 24/36 months (verify), read as maxima; issuer, minimum and minors carried over from Law 73/2021',
      },
      COMPULSORY_FACILITY: {
        issuedBy: ['COURT'],
        terms: LAW_120_COMPULSORY,
        ageGroups: ['MINOR', 'ADULT'],
        verify: true,
        source:
          'Glossary: regional court decides since the 2025 court reform; Law 120/2025/QH15 terms 24 months first course / 36 later (verify) read as maxima; minimum, minors and the minimum age of 12 (Law 73/2021 Art. 33) carried over',
      },
      SUBSTITUTION_THERAPY: {
        issuedBy: ['TREATMENT_FACILITY'],
        terms: null,
        verify: true,
        source: 'Carried over from Law 73/2021 row; glossary says nothing for Law 120/2025',
      },
      CEDEMEX_PILOT: {
        issuedBy: ['COMMUNE_CHAIR', 'FACILITY_DIRECTOR'],
        terms: LAW_120_VOLUNTARY,
        verify: true,
        source: 'Glossary does not say whether the 2022 pilot continues after 2026-07-01; kept allowed with voluntary values',
      },
    },
    termReduction: {
      forms: ['VOLUNTARY_COMMUNITY', 'VOLUNTARY_FACILITY', 'COMPULSORY_FACILITY', 'CEDEMEX_PILOT'],
      issuedBy: TERM_REDUCTION_ISSUERS,
      onFacilityProposal: ['COMPULSORY_FACILITY'],
      minMonths: 3,
      maxMonths: 6,
      afterShareServed: 0.5,
      maxReductions: 1,
      verify: true,
      source: 'Carried over from Decree 116/2021 (Law 73/2021 row); glossary says nothing for Law 120/2025',
    },
    postRehabManagement: {
      issuedBy: ['COMMUNE_CHAIR'],
      term: { minMonths: 12, maxMonths: 12 },
      relapseDuringManagementLeadsTo: 'COMPULSORY_FACILITY',
      verify: true,
      source: 'Carried over from Law 73/2021 row (1 year); glossary gives 1 year by the commune for managing illegal drug users under Law 120/2025',
    },
  },
];

/** The regime a decision dated `decisionDate` follows, or undefined when no row covers that date. */
export function regimeFor(decisionDate: LocalDate, regimes: readonly LegalRegime[] = LEGAL_REGIMES): LegalRegime | undefined {
  return regimes.find((regime) => decisionDate >= regime.effectiveFrom && (regime.effectiveUntil === null || decisionDate < regime.effectiveUntil));
}

export function regimeById(id: LegalRegimeId): LegalRegime {
  const regime = LEGAL_REGIMES.find((r) => r.id === id);
  // The id type only admits rows of the table, so a miss is a programming error.
  if (!regime) throw new Error(`unknown legal regime ${id}`);
  return regime;
}

/** The allowed term range for a form, or null when the form has no fixed term. */
export function termRangeFor(rule: FormRule, ageGroup: AgeGroup, priorCourses: number): TermRange | null {
  if (!rule.terms) return null;
  if (ageGroup !== 'ADULT') return rule.terms.minor;
  return priorCourses > 0 ? rule.terms.adultLaterCourse : rule.terms.adultFirstCourse;
}
