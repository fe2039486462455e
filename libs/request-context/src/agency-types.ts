/**
 * Agency types have effective dates (issue 11, ADR 0010). The 2025 reorganisation dissolved the
 * provincial Department of Labour, Invalids and Social Affairs (DOLISA) and spread its functions over
 * other departments and the police; this table says which agency type held which function on a day,
 * so services ask `agencyTypeHolding(fn, date)` instead of hard-coding `'DOLISA'` or `'HEALTH'`.
 *
 * Conventions: dates are ISO `YYYY-MM-DD` and compare as strings; `validFrom` is the first day a row
 * applies (null: since before any record this platform holds), `validUntil` the first day it no longer
 * applies (exclusive; null: still applies). A row with `verify: true` carries the best-known date,
 * not one confirmed against the legal text; its `note` says what is uncertain.
 */
import { AGENCY_TYPES, type AgencyType } from './principal';

export const AGENCY_FUNCTIONS = [
  /** State management of drug rehabilitation (quản lý nhà nước về cai nghiện ma túy) at the province. */
  'DRUG_REHAB_STATE_MANAGEMENT',
  /** State management of post-rehab management (quản lý sau cai nghiện); the commune chair still decides each person's management. */
  'POST_REHAB_MANAGEMENT',
  /** Managing the public rehab facilities (cơ quan chủ quản of the cơ sở cai nghiện công lập). */
  'REHAB_FACILITY_OPERATION',
  /** Running rehab at a facility: admissions, treatment, education, vocational training of residents. */
  'FACILITY_REHAB_TREATMENT',
  /** Prevention of social evils (phòng, chống tệ nạn xã hội): prostitution, social-evils campaigns. */
  'SOCIAL_EVILS_PREVENTION',
  /** Social protection (bảo trợ xã hội): social assistance, social-protection establishments. */
  'SOCIAL_PROTECTION',
  /** Children (trẻ em): child protection and care. */
  'CHILD_PROTECTION',
  /** Labour and employment (lao động, việc làm), including employment service centres' line management. */
  'LABOUR_EMPLOYMENT',
  /** Vocational education (giáo dục nghề nghiệp). */
  'VOCATIONAL_EDUCATION',
  /** Receiving and supporting victims of human trafficking (tiếp nhận, hỗ trợ nạn nhân bị mua bán). */
  'TRAFFICKING_VICTIM_SUPPORT',
  /** Employment services to persons: counselling, job introduction (Trung tâm dịch vụ việc làm). */
  'EMPLOYMENT_SERVICES',
  /** Provincial government: plans, targets, decisions of the People's Committee. */
  'PROVINCIAL_GOVERNMENT',
  /** Commune government: the commune chair's decisions (post-rehab management of a person, community rehab). */
  'COMMUNE_GOVERNMENT',
  /** Management of illegal drug users (quản lý người sử dụng trái phép chất ma túy, Law 73/2021 Art. 23–26), decided by the commune chair. */
  'DRUG_USER_MANAGEMENT',
  /** Preparing the dossier for compulsory rehab and verifying residence (Decree 116/2021; Law 120/2025). */
  'COMPULSORY_REHAB_DOSSIER',
  /** Drug crime investigation and control (phòng, chống tội phạm về ma túy). */
  'DRUG_CRIME_CONTROL',
  /** Drug and trafficking control in the border area (khu vực biên giới). */
  'BORDER_CONTROL',
  /** Deciding compulsory rehab and term reductions (Ordinance 01/2022/UBTVQH15). */
  'COMPULSORY_REHAB_DECISION',
  /** Health care: HIV, addiction determination, methadone substitution treatment. */
  'HEALTH_CARE',
  /** Volunteer social-work teams, counselling points, after-care clubs. */
  'AFTER_CARE_SUPPORT',
  /** School drug prevention education (giáo dục phòng, chống ma túy trong trường học). */
  'SCHOOL_EDUCATION',
  /** Cross-border cooperation with foreign authorities (Guangxi). */
  'FOREIGN_COOPERATION',
] as const;
export type AgencyFunction = (typeof AGENCY_FUNCTIONS)[number];

export interface AgencyTypePeriod {
  readonly type: AgencyType;
  /** First day the row applies; null: since before any record held here. */
  readonly validFrom: string | null;
  /** First day the row no longer applies (exclusive); null: still applies. */
  readonly validUntil: string | null;
  /** The functions the type holds in this period; empty: it exists but holds none of these. */
  readonly functions: readonly AgencyFunction[];
  /** Legal text: number, date, article. */
  readonly source: string;
  /** True where the date or the transfer could not be confirmed against the text. */
  readonly verify: boolean;
  readonly note?: string;
}

/** The day the 2025 reorganisation took effect for the provincial departments and the police. */
export const REORGANISATION_2025 = '2025-03-01';

const DECREE_45_2025 =
  "Decree 45/2025/NĐ-CP of 2025-02-28 on the specialised agencies of provincial People's Committees (replaces Decree 24/2014/NĐ-CP), in force 2025-03-01";
const RESOLUTION_176_2025 = 'Resolution 176/2025/QH15 of 2025-02-18 on the structure of the Government (MOLISA merged into the Ministry of Home Affairs)';
const POLICE_TRANSFER_2025 =
  'MPS project "Tiếp nhận nhiệm vụ quản lý nhà nước về cai nghiện ma túy và quản lý sau cai nghiện ma túy từ Bộ LĐ-TB&XH về Bộ Công an": handover minutes of 2025-02-26, reception from 2025-03-01, the facilities become units of the provincial drug-crime police (vnexpress.net, baolaocai.vn, nld.com.vn 2025-02-26; thanhnien.vn, plo.vn 2025-02-28); Decree 02/2025/NĐ-CP (functions of the Ministry of Public Security); Decree 184/2025/NĐ-CP (district rehab powers to the provincial police director); codified by Law 120/2025/QH15 of 2025-12-10, in force 2026-07-01';

/**
 * Every agency type's periods. A type with no row for a date did not exist on that date (DOLISA after
 * 2025-03-01). Rows of one type never overlap (a unit test checks it).
 */
export const AGENCY_TYPE_PERIODS: readonly AgencyTypePeriod[] = [
  {
    type: 'PPC',
    validFrom: null,
    validUntil: null,
    functions: ['PROVINCIAL_GOVERNMENT'],
    source: 'Law 65/2025/QH15 on the Organisation of Local Government (and Law 77/2015/QH13 before it)',
    verify: false,
  },
  {
    type: 'DOLISA',
    validFrom: null,
    validUntil: REORGANISATION_2025,
    functions: [
      'DRUG_REHAB_STATE_MANAGEMENT',
      'POST_REHAB_MANAGEMENT',
      'REHAB_FACILITY_OPERATION',
      'SOCIAL_EVILS_PREVENTION',
      'SOCIAL_PROTECTION',
      'CHILD_PROTECTION',
      'LABOUR_EMPLOYMENT',
      'VOCATIONAL_EDUCATION',
      'TRAFFICKING_VICTIM_SUPPORT',
    ],
    source: `Decree 24/2014/NĐ-CP (Sở LĐ-TB&XH), Law 73/2021/QH14 Art. 30–38 and Decree 116/2021/NĐ-CP; dissolved by ${DECREE_45_2025} (its list of departments organised in every province has no Sở LĐ-TB&XH: hdnd.dongnai.gov.vn)`,
    verify: true,
    note: "Each province dissolved its DOLISA by a provincial People's Council resolution; 2025-03-01 is the date of Decree 45/2025 and of the police transfer, not confirmed per province for Quảng Ninh (22) and Lạng Sơn (20).",
  },
  {
    type: 'HOME_AFFAIRS',
    validFrom: null,
    validUntil: REORGANISATION_2025,
    functions: [],
    source: 'Decree 24/2014/NĐ-CP (Sở Nội vụ: personnel, administrative organisation)',
    verify: false,
  },
  {
    type: 'HOME_AFFAIRS',
    validFrom: REORGANISATION_2025,
    validUntil: null,
    functions: ['LABOUR_EMPLOYMENT'],
    source: `${DECREE_45_2025} (Sở Nội vụ: labour, wages, employment, social insurance, meritorious people); ${RESOLUTION_176_2025}; Decree 25/2025/NĐ-CP (Ministry of Home Affairs)`,
    verify: true,
    note: 'The split of functions is from secondary sources (provincial merger projects, e.g. Quảng Trị, Bắc Ninh); the text of Decree 45/2025 and of the ministry decree was not read.',
  },
  {
    type: 'HEALTH',
    validFrom: null,
    validUntil: REORGANISATION_2025,
    functions: ['HEALTH_CARE'],
    source: 'Decree 24/2014/NĐ-CP (Sở Y tế); Decree 90/2016/NĐ-CP (methadone); Decree 109/2021/NĐ-CP (addiction determination)',
    verify: false,
  },
  {
    type: 'HEALTH',
    validFrom: REORGANISATION_2025,
    validUntil: null,
    functions: ['HEALTH_CARE', 'SOCIAL_EVILS_PREVENTION', 'SOCIAL_PROTECTION', 'CHILD_PROTECTION', 'TRAFFICKING_VICTIM_SUPPORT'],
    source: `${DECREE_45_2025} (Sở Y tế: social protection, children, prevention of social evils); Decree 42/2025/NĐ-CP of 2025-02-27 (Ministry of Health)`,
    verify: true,
    note: 'Trafficking-victim support follows social-evils prevention to Health in secondary sources; not confirmed in the text.',
  },
  {
    type: 'EDUCATION',
    validFrom: null,
    validUntil: REORGANISATION_2025,
    functions: ['SCHOOL_EDUCATION'],
    source: 'Decree 24/2014/NĐ-CP (Sở GD&ĐT)',
    verify: false,
  },
  {
    type: 'EDUCATION',
    validFrom: REORGANISATION_2025,
    validUntil: null,
    functions: ['SCHOOL_EDUCATION', 'VOCATIONAL_EDUCATION'],
    source: `${DECREE_45_2025} (Sở GD&ĐT: vocational education); Decree 37/2025/NĐ-CP of 2025-02-26 (Ministry of Education and Training)`,
    verify: true,
    note: 'The split of functions is from secondary sources (provincial merger projects); the text of Decree 45/2025 and Decree 37/2025 was not read.',
  },
  {
    type: 'FOREIGN_AFFAIRS',
    validFrom: null,
    validUntil: null,
    functions: ['FOREIGN_COOPERATION'],
    source: `${DECREE_45_2025}, Art. 9 (Sở Ngoại vụ, a department some provinces keep); Decree 24/2014/NĐ-CP before it`,
    verify: true,
    note: 'Whether Lạng Sơn and Quảng Ninh kept a separate Sở Ngoại vụ after 2025 is not confirmed.',
  },
  {
    type: 'POLICE',
    validFrom: null,
    validUntil: REORGANISATION_2025,
    functions: ['DRUG_CRIME_CONTROL'],
    source: "Law 73/2021/QH14 on Drug Prevention and Control, Art. 32; Law 37/2018/QH14 on the People's Police",
    verify: false,
  },
  {
    type: 'POLICE',
    validFrom: REORGANISATION_2025,
    validUntil: null,
    functions: ['DRUG_CRIME_CONTROL', 'DRUG_REHAB_STATE_MANAGEMENT', 'POST_REHAB_MANAGEMENT', 'REHAB_FACILITY_OPERATION'],
    source: POLICE_TRANSFER_2025,
    verify: false,
    note: 'Date confirmed by the MPS national handover conference of 2025-02-26 (reception "from 2025-03-01") and provincial handovers of 2025-02-28; the number and date of Decree 02/2025 are from secondary sources.',
  },
  {
    type: 'COMMUNE_POLICE',
    validFrom: null,
    validUntil: null,
    functions: ['COMPULSORY_REHAB_DOSSIER'],
    source: 'Decree 116/2021/NĐ-CP of 2021-12-21, Art. 39–41 (the commune police chief prepares the compulsory-rehab dossier); Law 120/2025/QH15',
    verify: true,
    note: 'Article numbers of Decree 116/2021 from secondary sources.',
  },
  {
    type: 'BORDER_GUARD',
    validFrom: null,
    validUntil: null,
    functions: ['BORDER_CONTROL'],
    source: 'Law 73/2021/QH14 Art. 32; Law 66/2020/QH14 on the Border Guard',
    verify: false,
  },
  {
    type: 'COMMUNE',
    validFrom: null,
    validUntil: null,
    functions: ['COMMUNE_GOVERNMENT', 'DRUG_USER_MANAGEMENT'],
    source:
      'Law 73/2021/QH14 Art. 23–26 (management of illegal drug users by the commune chair) and Art. 40 (post-rehab management decision); Decree 105/2021/NĐ-CP',
    verify: false,
  },
  {
    type: 'REHAB_FACILITY',
    validFrom: null,
    validUntil: null,
    functions: ['FACILITY_REHAB_TREATMENT'],
    source: 'Law 73/2021/QH14 Art. 34–35; Decree 116/2021/NĐ-CP; under DOLISA until 2025-03-01, under the provincial police since (see POLICE)',
    verify: false,
  },
  {
    type: 'EMPLOYMENT_CENTRE',
    validFrom: null,
    validUntil: null,
    functions: ['EMPLOYMENT_SERVICES'],
    source: 'Law 38/2013/QH13 on Employment, Art. 37; line agency DOLISA until 2025-03-01, Home Affairs since (Decree 45/2025/NĐ-CP)',
    verify: true,
    note: 'The line agency of the centre after 2025 is from secondary sources.',
  },
  {
    type: 'COURT',
    validFrom: null,
    validUntil: null,
    functions: ['COMPULSORY_REHAB_DECISION'],
    source:
      "Law 73/2021/QH14 Art. 33; Ordinance 01/2022/UBTVQH15 of 2022-03-24; regional People's Courts since 2025-07-01 (Law 81/2025/QH15 amending the Law on the Organisation of People's Courts)",
    verify: true,
    note: 'Regional-court date and law number from secondary sources; the agency type is the same before and after.',
  },
  {
    type: 'SUPPORT_MODEL',
    validFrom: null,
    validUntil: null,
    functions: ['AFTER_CARE_SUPPORT'],
    source: 'Plan 146/KH-UBND (Quảng Ninh, 2022); Decree 116/2021/NĐ-CP',
    verify: false,
  },
  {
    type: 'NGO',
    validFrom: null,
    validUntil: null,
    functions: [],
    source: 'Non-state partners: no state function; receive personal data only with consent or a legal basis (Law 91/2025/QH15)',
    verify: false,
  },
];

function applies(period: AgencyTypePeriod, on: string): boolean {
  return (period.validFrom === null || period.validFrom <= on) && (period.validUntil === null || on < period.validUntil);
}

function periodsOn(on: string): AgencyTypePeriod[] {
  return AGENCY_TYPE_PERIODS.filter((period) => applies(period, on));
}

/** The table's row for an agency type on a date; undefined when the type did not exist then. */
export function agencyTypePeriodOn(type: AgencyType, on: string): AgencyTypePeriod | undefined {
  return AGENCY_TYPE_PERIODS.find((period) => period.type === type && applies(period, on));
}

/** Did an agency of this type exist on `on`? DOLISA: until 2025-02-28; a 2022 record keeps it. */
export function isAgencyTypeValidOn(type: AgencyType, on: string): boolean {
  return agencyTypePeriodOn(type, on) !== undefined;
}

/** The first day an agency type no longer exists; null while it still exists (or never ends). */
export function agencyTypeValidUntil(type: AgencyType): string | null {
  const rows = AGENCY_TYPE_PERIODS.filter((period) => period.type === type);
  if (rows.some((period) => period.validUntil === null)) return null;
  return (
    rows
      .map((period) => period.validUntil as string)
      .sort()
      .at(-1) ?? null
  );
}

/** The functions an agency type held on a date; empty when it did not exist then. */
export function functionsOf(type: AgencyType, on: string): readonly AgencyFunction[] {
  return agencyTypePeriodOn(type, on)?.functions ?? [];
}

/** Every agency type holding the function on a date, in table order. */
export function agencyTypesHolding(fn: AgencyFunction, on: string): AgencyType[] {
  return periodsOn(on)
    .filter((period) => period.functions.includes(fn))
    .map((period) => period.type);
}

export class NoAgencyHoldsFunctionError extends Error {
  constructor(
    readonly fn: AgencyFunction,
    readonly on: string,
    readonly holders: readonly AgencyType[],
  ) {
    super(holders.length === 0 ? `no agency type holds ${fn} on ${on}` : `${holders.join(', ')} all hold ${fn} on ${on}`);
    this.name = 'NoAgencyHoldsFunctionError';
  }
}

/**
 * The one agency type holding the function on a date. Every function has exactly one holder on every
 * day (a unit test walks the table's dates); the error is for a table edited into ambiguity.
 */
export function agencyTypeHolding(fn: AgencyFunction, on: string): AgencyType {
  const holders = agencyTypesHolding(fn, on);
  if (holders.length !== 1) throw new NoAgencyHoldsFunctionError(fn, on, holders);
  return holders[0] as AgencyType;
}

/** Every date on which some row starts or ends, sorted: the days the tests check on each side of. */
export function agencyEffectiveDates(): string[] {
  const dates = new Set<string>();
  for (const period of AGENCY_TYPE_PERIODS) {
    if (period.validFrom !== null) dates.add(period.validFrom);
    if (period.validUntil !== null) dates.add(period.validUntil);
  }
  return [...dates].sort();
}

/** Types without a row in the table; the unit test keeps this empty. */
export function agencyTypesWithoutPeriods(): AgencyType[] {
  return AGENCY_TYPES.filter((type) => !AGENCY_TYPE_PERIODS.some((period) => period.type === type));
}
