import type { Principal } from '@haidang/request-context';

/**
 * What the analyst API, the exports and the dashboard read: indicator cells computed from events.
 * One port, so that the JSON API, the CSV/XLSX exports and the dashboard can never disagree.
 */
export type UnitLevel = 'PROVINCE' | 'DISTRICT' | 'COMMUNE';
export type PeriodKind = 'MONTH' | 'QUARTER' | 'YEAR' | 'PLAN';

export interface IndicatorPeriod {
  readonly kind: PeriodKind;
  /** e.g. `2022-07`, `2022-Q3`, `2022`, or the plan's id for PLAN. */
  readonly label: string;
  /** First and last day, inclusive, ISO dates. */
  readonly from: string;
  readonly to: string;
}

export interface IndicatorQuery {
  /** Province code (e.g. `22`); the principal's jurisdiction bounds it. */
  readonly provinceCode: string;
  readonly unitLevel: UnitLevel;
  /** A single unit (commune or district code) when given; every unit of the level otherwise. */
  readonly unitCode?: string;
  readonly period: IndicatorPeriod;
  /** Indicator codes; all of the plan's when absent. */
  readonly codes?: readonly string[];
  /** The plan whose targets stand beside the figures; the province's plan in force when absent. */
  readonly planId?: string;
}

export interface IndicatorTarget {
  readonly unit: 'PERCENT' | 'COUNT';
  readonly comparison: 'AT_LEAST' | 'MORE_THAN';
  readonly value: number;
}

export interface IndicatorCell {
  readonly code: string;
  readonly labelVi: string;
  readonly labelEn: string;
  readonly unitLevel: UnitLevel;
  readonly unitCode: string;
  readonly unitName: string;
  readonly period: IndicatorPeriod;
  /** null when suppressed (small-number protection) or not computable. */
  readonly numerator: number | null;
  readonly denominator: number | null;
  /** numerator/denominator × 100 for PERCENT targets, the count for COUNT targets; null when suppressed. */
  readonly value: number | null;
  readonly target: IndicatorTarget | null;
  /** value / target.value, 0..n; null when suppressed or no target. */
  readonly shareAchieved: number | null;
  readonly suppressed: boolean;
}

export interface IndicatorSeriesPoint {
  readonly period: IndicatorPeriod;
  readonly value: number | null;
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly suppressed: boolean;
}

export interface IndicatorSeries {
  readonly code: string;
  readonly labelVi: string;
  readonly labelEn: string;
  readonly unitLevel: UnitLevel;
  readonly unitCode: string;
  readonly target: IndicatorTarget | null;
  readonly points: readonly IndicatorSeriesPoint[];
}

export interface IndicatorReader {
  indicators(query: IndicatorQuery, principal: Principal): Promise<readonly IndicatorCell[]>;
  series(
    code: string,
    query: Omit<IndicatorQuery, 'period' | 'codes'> & { readonly periodKind: PeriodKind; readonly from: string; readonly to: string },
    principal: Principal,
  ): Promise<IndicatorSeries>;
}

/** Nest injection token for the port. */
export const INDICATOR_READER = Symbol('IndicatorReader');
