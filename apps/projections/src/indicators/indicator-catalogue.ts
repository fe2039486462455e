import type { Fact, FactKind } from '../inbox/facts';
import type { IndicatorPeriod, UnitLevel } from './indicator-reader.port';
import { daysIn } from './periods';
import type { UnitRef } from './units';

/**
 * Every indicator the service computes, as data: which facts count (numerator), over what
 * (denominator), at which unit levels, and whether it counts persons (then small numbers are
 * suppressed). Targets are not here: they come from the plans (campaigns' PlanAdopted/PlanAmended).
 */
export interface Measured {
  readonly numerator: number | null;
  readonly denominator: number | null;
}

export interface IndicatorDefinition {
  readonly code: string;
  readonly labelVi: string;
  readonly labelEn: string;
  /** COUNT: the value is the numerator (or numerator per denominator for a rate); PERCENT: numerator / denominator × 100. */
  readonly measure: 'COUNT' | 'RATE' | 'PERCENT';
  /** Counts persons (admissions, trainees, placements, …): small numbers are suppressed. */
  readonly countsPersons: boolean;
  readonly levels: readonly UnitLevel[];
  /** The definition in words, for the README, the API and the SQL views. */
  readonly definition: string;
  measure_(facts: FactIndex, unit: UnitRef, period: IndicatorPeriod, province: ProvinceShape): Measured;
}

/** What some denominators count: the communes in force and the former districts of the province. */
export interface ProvinceShape {
  readonly communes: readonly string[];
  readonly districts: readonly string[];
}

/** Facts of one province, grouped by kind. */
export class FactIndex {
  private readonly byKind = new Map<FactKind, Fact[]>();

  constructor(facts: readonly Fact[]) {
    for (const fact of facts) {
      const list = this.byKind.get(fact.kind) ?? [];
      list.push(fact);
      this.byKind.set(fact.kind, list);
    }
  }

  of(kind: FactKind): readonly Fact[] {
    return this.byKind.get(kind) ?? [];
  }
}

const ALL_LEVELS: readonly UnitLevel[] = ['PROVINCE', 'DISTRICT', 'COMMUNE'];
const PROVINCE_ONLY: readonly UnitLevel[] = ['PROVINCE'];

const inPeriod = (f: Fact, p: IndicatorPeriod): boolean => f.onDate >= p.from && f.onDate <= p.to;
export const inUnit = (f: Fact, unit: UnitRef): boolean => unit.communes === null || (f.communeCode !== null && unit.communes.has(f.communeCode));
const counted = (f: Fact, unit: UnitRef, p: IndicatorPeriod): boolean => !f.voided && inPeriod(f, p) && inUnit(f, unit);
const sum = (facts: readonly Fact[]): number => facts.reduce((total, f) => total + f.amount, 0);

function countOf(kind: FactKind, categories?: readonly string[]) {
  return (facts: FactIndex, unit: UnitRef, period: IndicatorPeriod): Measured => ({
    numerator: sum(facts.of(kind).filter((f) => counted(f, unit, period) && (categories === undefined || categories.includes(f.category)))),
    denominator: null,
  });
}

/** Establishments of the given categories open at some time in the period, and those an activity of `forms` reached. */
function establishmentsReached(categories: readonly string[], forms: readonly string[] | null) {
  return (facts: FactIndex, unit: UnitRef, period: IndicatorPeriod): Measured => {
    const open = facts
      .of('ESTABLISHMENT')
      .filter((f) => categories.includes(f.category) && inUnit(f, unit) && f.onDate <= period.to && (f.endedOn === null || f.endedOn > period.from));
    const reached = new Set(
      facts
        .of('ACTIVITY_AT')
        .filter((f) => !f.voided && inPeriod(f, period) && (forms === null || forms.includes(f.category)))
        .map((f) => f.ref),
    );
    return { numerator: open.filter((f) => reached.has(f.subjectId)).length, denominator: open.length };
  };
}

/** Support models of a kind active on the period's last day: the latest state of each on or before it. */
function modelsActive(kind: string) {
  return (facts: FactIndex, unit: UnitRef, period: IndicatorPeriod): Measured => {
    const latest = new Map<string, Fact>();
    for (const f of facts.of('SUPPORT_MODEL')) {
      if (f.category !== kind || f.onDate > period.to || !inUnit(f, unit)) continue;
      const seen = latest.get(f.subjectId);
      if (!seen || seen.onDate <= f.onDate) latest.set(f.subjectId, f);
    }
    return { numerator: [...latest.values()].filter((f) => f.amount > 0).length, denominator: null };
  };
}

function surveyShare(group: string) {
  return (facts: FactIndex, unit: UnitRef, period: IndicatorPeriod): Measured => {
    const sample = sum(facts.of('SURVEY_SAMPLE').filter((f) => f.category === group && counted(f, unit, period)));
    return { numerator: sum(facts.of('SURVEY_AWARE').filter((f) => f.category === group && counted(f, unit, period))), denominator: sample };
  };
}

const FACILITY_FORMS = ['VOLUNTARY_FACILITY', 'COMPULSORY_FACILITY'];
const COMMUNITY_FORMS = ['VOLUNTARY_COMMUNITY'];

export const INDICATORS: readonly IndicatorDefinition[] = [
  {
    code: 'REHAB_ADMISSIONS',
    labelVi: 'Lượt người cai nghiện',
    labelEn: 'Rehab admissions',
    measure: 'COUNT',
    countsPersons: true,
    levels: ALL_LEVELS,
    definition: 'cases.RehabStarted.v1 with startedOn in the period, every form, by the commune of the case',
    measure_: countOf('REHAB_ADMISSION'),
  },
  {
    code: 'REHAB_ADMISSIONS_FACILITY',
    labelVi: 'Cai nghiện tại cơ sở',
    labelEn: 'Rehab admissions at a facility',
    measure: 'COUNT',
    countsPersons: true,
    levels: ALL_LEVELS,
    definition: 'cases.RehabStarted.v1 in the period with form VOLUNTARY_FACILITY or COMPULSORY_FACILITY',
    measure_: countOf('REHAB_ADMISSION', FACILITY_FORMS),
  },
  {
    code: 'REHAB_ADMISSIONS_COMMUNITY',
    labelVi: 'Cai nghiện tại gia đình, cộng đồng',
    labelEn: 'Rehab admissions at home or in the community',
    measure: 'COUNT',
    countsPersons: true,
    levels: ALL_LEVELS,
    definition: 'cases.RehabStarted.v1 in the period with form VOLUNTARY_COMMUNITY',
    measure_: countOf('REHAB_ADMISSION', COMMUNITY_FORMS),
  },
  {
    code: 'POST_REHAB_MANAGED',
    labelVi: 'Quản lý sau cai nghiện',
    labelEn: 'Under post-rehab management',
    measure: 'PERCENT',
    countsPersons: true,
    levels: ALL_LEVELS,
    definition:
      'cases.PostRehabManagementStarted.v1 started in the period over cases.RehabCompleted.v1 completed in the period (no such event is published yet: the numerator stays 0)',
    measure_: (facts, unit, period) => ({
      numerator: sum(facts.of('POST_REHAB_MANAGEMENT').filter((f) => counted(f, unit, period))),
      denominator: sum(facts.of('REHAB_COMPLETED').filter((f) => counted(f, unit, period))),
    }),
  },
  {
    code: 'JOB_COUNSELLING_GIVEN',
    labelVi: 'Tư vấn việc làm',
    labelEn: 'Job counselling given',
    measure: 'COUNT',
    countsPersons: true,
    levels: ALL_LEVELS,
    definition: 'employment.ReferralOutcomeReported.v1 for JOB_COUNSELLING, SERVICE_PROVIDED or PARTIALLY_PROVIDED, reported in the period',
    measure_: countOf('JOB_COUNSELLING_GIVEN'),
  },
  {
    code: 'VOCATIONAL_TRAINED',
    labelVi: 'Đào tạo nghề',
    labelEn: 'Vocational training completed',
    measure: 'COUNT',
    countsPersons: true,
    levels: ALL_LEVELS,
    definition: 'employment.TrainingCompleted.v1 with completedOn in the period',
    measure_: countOf('VOCATIONAL_TRAINED'),
  },
  {
    code: 'JOBS_PLACED',
    labelVi: 'Giới thiệu việc làm thành công',
    labelEn: 'Placed in a job',
    measure: 'COUNT',
    countsPersons: true,
    levels: ALL_LEVELS,
    definition: 'employment.JobStarted.v1 with startOn in the period',
    measure_: countOf('JOB_PLACED'),
  },
  {
    code: 'COMMUNES_WITH_ACTIVITY',
    labelVi: 'Xã có hoạt động truyền thông',
    labelEn: 'Communes with at least one activity',
    measure: 'PERCENT',
    countsPersons: false,
    levels: ALL_LEVELS,
    definition: 'communes (in force) with a campaigns.ActivityRecorded.v1 held in the period and not withdrawn, over the communes of the unit',
    measure_: (facts, unit, period, province) => {
      const communes = unit.communes === null ? province.communes : [...unit.communes];
      const active = new Set(
        facts
          .of('ACTIVITY')
          .filter((f) => counted(f, unit, period) && f.communeCode !== null)
          .map((f) => f.communeCode),
      );
      return { numerator: communes.filter((c) => active.has(c)).length, denominator: communes.length };
    },
  },
  {
    code: 'ZONES_REACHED',
    labelVi: 'Khu công nghiệp, khu kinh tế được tuyên truyền',
    labelEn: 'Industrial and economic zones reached',
    measure: 'PERCENT',
    countsPersons: false,
    levels: ALL_LEVELS,
    definition: 'registered zones (INDUSTRIAL_ZONE, ECONOMIC_ZONE) open in the period where an activity was held, over those open',
    measure_: establishmentsReached(['INDUSTRIAL_ZONE', 'ECONOMIC_ZONE'], null),
  },
  {
    code: 'SCHOOLS_TRAINED',
    labelVi: 'Trường THPT, cơ sở GDNN được tập huấn',
    labelEn: 'Upper-secondary and vocational schools trained',
    measure: 'PERCENT',
    countsPersons: false,
    levels: ALL_LEVELS,
    definition: 'registered upper-secondary and vocational schools with a SCHOOL_SESSION activity in the period, over those open',
    measure_: establishmentsReached(['SCHOOL:UPPER_SECONDARY', 'SCHOOL:VOCATIONAL'], ['SCHOOL_SESSION']),
  },
  {
    code: 'ARTICLES_PER_WEEK',
    labelVi: 'Tin, bài mỗi tuần',
    labelEn: 'Articles per week',
    measure: 'RATE',
    countsPersons: false,
    levels: PROVINCE_ONLY,
    definition: 'campaigns.ArticlePublished.v1 published in the period and not withdrawn, over the weeks of the period (days / 7)',
    measure_: (facts, unit, period) => ({
      numerator: facts.of('ARTICLE').filter((f) => counted(f, unit, period)).length,
      denominator: Math.round((daysIn(period.from, period.to) / 7) * 100) / 100,
    }),
  },
  {
    code: 'VOLUNTEER_TEAMS',
    labelVi: 'Đội công tác xã hội tình nguyện',
    labelEn: 'Volunteer social-work teams active',
    measure: 'COUNT',
    countsPersons: false,
    levels: ALL_LEVELS,
    definition: 'support models of kind VOLUNTEER_TEAM active on the last day of the period (founded, not deactivated since)',
    measure_: modelsActive('VOLUNTEER_TEAM'),
  },
  {
    code: 'COUNSELLING_POINTS',
    labelVi: 'Điểm tư vấn, chăm sóc, hỗ trợ điều trị',
    labelEn: 'Counselling points active',
    measure: 'COUNT',
    countsPersons: false,
    levels: ALL_LEVELS,
    definition: 'support models of kind COUNSELLING_POINT active on the last day of the period',
    measure_: modelsActive('COUNSELLING_POINT'),
  },
  {
    code: 'AFTER_CARE_CLUBS',
    labelVi: 'Câu lạc bộ sau cai nghiện',
    labelEn: 'After-care clubs active',
    measure: 'COUNT',
    countsPersons: false,
    levels: ALL_LEVELS,
    definition: 'support models of kind AFTER_CARE_CLUB active on the last day of the period',
    measure_: modelsActive('AFTER_CARE_CLUB'),
  },
  {
    code: 'OFFICIALS_AWARE',
    labelVi: 'Cán bộ hiểu biết về ma túy',
    labelEn: 'Officials aware',
    measure: 'PERCENT',
    countsPersons: false,
    levels: PROVINCE_ONLY,
    definition: 'campaigns.SurveyRecorded.v1 group OFFICIALS, conducted in the period: aware over sample',
    measure_: surveyShare('OFFICIALS'),
  },
  {
    code: 'ADULTS_AWARE',
    labelVi: 'Người trưởng thành hiểu biết về ma túy',
    labelEn: 'Adults aware',
    measure: 'PERCENT',
    countsPersons: false,
    levels: PROVINCE_ONLY,
    definition: 'campaigns.SurveyRecorded.v1 group ADULTS, conducted in the period: aware over sample',
    measure_: surveyShare('ADULTS'),
  },
  {
    code: 'REHAB_STAFF_TRAINED',
    labelVi: 'Cán bộ cai nghiện, sau cai được tập huấn',
    labelEn: 'Rehab and after-care staff trained',
    measure: 'PERCENT',
    countsPersons: false,
    levels: PROVINCE_ONLY,
    definition:
      'campaigns.TrainingHeld.v1 participants REHAB_STAFF and AFTER_CARE_STAFF in the period, over the staff register (campaigns.StaffHeadcountRecorded.v1: the latest headcount of each agency and group on the last day); no denominator without a register',
    measure_: (facts, unit, period) => {
      const groups = ['REHAB_STAFF', 'AFTER_CARE_STAFF'];
      const latest = new Map<string, Fact>();
      for (const f of facts.of('STAFF_HEADCOUNT')) {
        if (!groups.includes(f.category) || f.onDate > period.to) continue;
        const seen = latest.get(f.subjectId);
        if (!seen || seen.onDate <= f.onDate) latest.set(f.subjectId, f);
      }
      return {
        numerator: sum(facts.of('CAMPAIGN_TRAINING').filter((f) => counted(f, unit, period) && groups.includes(f.category))),
        denominator: latest.size === 0 ? null : sum([...latest.values()]),
      };
    },
  },
  {
    code: 'DISTRICTS_WITH_PLAN',
    labelVi: 'Huyện có kế hoạch',
    labelEn: 'Districts with their plan',
    measure: 'PERCENT',
    countsPersons: false,
    levels: ['PROVINCE', 'DISTRICT'],
    definition:
      'former districts with a campaigns.DistrictPlanAdopted.v1 issued on or before the last day of the period, over the districts of the province (before 2025-07-01)',
    measure_: (facts, unit, period, province) => {
      const names = unit.level === 'DISTRICT' ? [unit.name] : province.districts;
      const planned = new Set(
        facts
          .of('DISTRICT_PLAN')
          .filter((f) => !f.voided && f.onDate <= period.to)
          .map((f) => f.category),
      );
      return { numerator: names.filter((n) => planned.has(n)).length, denominator: names.length };
    },
  },
];

export const CROSS_BORDER_PREFIX = 'CROSS_BORDER_';

/** One indicator per cross-border figure category (e.g. `CROSS_BORDER_RECEIVED_TRAFFICKING_VICTIM`), at the province. */
export function crossBorderIndicator(category: string): IndicatorDefinition {
  return {
    code: `${CROSS_BORDER_PREFIX}${category}`,
    labelVi: `Hợp tác biên giới: ${category}`,
    labelEn: `Cross-border: ${category}`,
    measure: 'COUNT',
    countsPersons: true,
    levels: PROVINCE_ONLY,
    definition: `cross-border.FiguresRecorded.v1 figures of category ${category}, records (not period summaries, not superseded) whose period starts in the period`,
    measure_: (facts, unit, period) => ({
      numerator: sum(facts.of('CROSS_BORDER').filter((f) => f.category === category && counted(f, unit, period))),
      denominator: null,
    }),
  };
}

/** The indicators of a province: the fixed ones and one per cross-border category seen. */
export function indicatorsOf(facts: FactIndex): IndicatorDefinition[] {
  const categories = [...new Set(facts.of('CROSS_BORDER').map((f) => f.category))].sort();
  return [...INDICATORS, ...categories.map(crossBorderIndicator)];
}

/** The value shown for a measure: the count, the rate, or the percentage (one decimal); null when it cannot be computed. */
export function valueOf(definition: IndicatorDefinition, measured: Measured): number | null {
  if (measured.numerator === null) return null;
  if (definition.measure === 'COUNT') return measured.numerator;
  if (measured.denominator === null || measured.denominator === 0) return null;
  const ratio = measured.numerator / measured.denominator;
  return definition.measure === 'PERCENT' ? Math.round(ratio * 1000) / 10 : Math.round(ratio * 100) / 100;
}
