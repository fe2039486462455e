import type { IsoDate } from '@haidang/calendar';

/**
 * Domain events of a plan (kế hoạch): plain data, past tense, each type stored with its schema
 * version. A plan holds no personal data. Its targets are data: what is counted (numerator), over
 * what (denominator), the value to reach, at which unit level, and which integration events feed it,
 * so the projections service computes every indicator without a rule in code.
 */

export const TARGET_KINDS = ['PERCENT', 'COUNT'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** "≥ 2 articles a week" is AT_LEAST; "> 50% of adults" is MORE_THAN. */
export const TARGET_COMPARISONS = ['AT_LEAST', 'MORE_THAN'] as const;
export type TargetComparison = (typeof TARGET_COMPARISONS)[number];

/** The level of the units counted. Districts exist only for plans issued before 2025-07-01. */
export const UNIT_LEVELS = ['PROVINCE', 'DISTRICT', 'COMMUNE'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

/** Over what span the value is to be reached: the whole plan period, or every week of it. */
export const TARGET_SPANS = ['PERIOD', 'WEEK'] as const;
export type TargetSpan = (typeof TARGET_SPANS)[number];

/** The day the district tier was abolished (Resolution 202/2025/QH15): no district target in a plan issued from then. */
export const DISTRICTS_ABOLISHED_ON: IsoDate = '2025-07-01';

export interface PlanTarget {
  /** Stable code the projections service keys the indicator on, e.g. `COMMUNES_WITH_ACTIVITY`. */
  readonly indicator: string;
  /** What is counted, in plain words: "communes that held ≥ 1 communication activity in the period". */
  readonly numerator: string;
  /** Over what, for a percentage: "communes of the province in force". Null for a count. */
  readonly denominator: string | null;
  readonly kind: TargetKind;
  readonly comparison: TargetComparison;
  /** A percentage (0 < v ≤ 100) or a count (a positive integer). */
  readonly value: number;
  readonly unitLevel: UnitLevel;
  readonly span: TargetSpan;
  /** Integration event types (libs/contracts) that count toward it, e.g. `campaigns.ActivityRecorded.v1`. */
  readonly countedEvents: readonly string[];
}

export type PlanAdopted = {
  readonly type: 'PlanAdopted';
  readonly data: {
    readonly planId: string;
    readonly provinceCode: string;
    /** The issuing body's agency code, e.g. `22-PPC` (UBND tỉnh). */
    readonly issuedBy: string;
    /** As printed: `146/KH-UBND`. */
    readonly number: string;
    readonly issuedOn: IsoDate;
    readonly title: string;
    /** The agency that leads it (chủ trì), e.g. `22-DOLISA` in 2022. */
    readonly leadAgency: string;
    readonly periodFrom: IsoDate;
    readonly periodTo: IsoDate;
    /** The plan this one carries out (a district's plan under the province's), if any. */
    readonly parentPlanId: string | null;
    /**
     * The district whose plan this is (plans issued before 2025-07-01), named as the unit register
     * names it (`Thành phố Cẩm Phả`); null for a provincial plan. Absent in events recorded before it
     * existed (schema version 1): read as null.
     */
    readonly districtName: string | null;
    readonly targets: readonly PlanTarget[];
  };
};

/** A new version of the targets, in force from `effectiveFrom` (the earlier versions stay in the history). */
export type PlanAmended = {
  readonly type: 'PlanAmended';
  readonly data: {
    /** 1 for the first amendment; version 0 is the plan as adopted. */
    readonly amendmentNo: number;
    readonly number: string;
    readonly issuedOn: IsoDate;
    readonly effectiveFrom: IsoDate;
    readonly targets: readonly PlanTarget[];
  };
};

export type PlanEvent = PlanAdopted | PlanAmended;
export type PlanEventType = PlanEvent['type'];

/** PlanAdopted v2 added `districtName` (v1 events have none: null). */
export const PLAN_EVENT_SCHEMA_VERSIONS: Readonly<Record<PlanEventType, number>> = { PlanAdopted: 2, PlanAmended: 1 };

/** Streams `Plan-<uuid>`, subjects `evt.campaigns.Plan.<EventType>`. */
export const PLAN_AGGREGATE = 'Plan';
