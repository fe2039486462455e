import { AccessDeniedError } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import type { InsightsStore, PlanVersion } from '../inbox/insights-store';
import { computeIndicatorCells, type PlanTargets } from './compute-indicators';
import { FactIndex } from './indicator-catalogue';
import type { IndicatorCell, IndicatorPeriod, IndicatorQuery, IndicatorReader, IndicatorSeries, IndicatorTarget, PeriodKind } from './indicator-reader.port';
import { periodsBetween } from './periods';
import { unitsOf, type UnitRef } from './units';

/** No plan of that id in the province, or no plan at all when the period is the plan's. */
export class UnknownPlanError extends Error {
  override readonly name = 'UnknownPlanError';
}

const COMMUNE_AGENCIES = new Set(['COMMUNE', 'COMMUNE_POLICE']);

/**
 * Whether the principal may read the province's indicators at all: its jurisdiction names the
 * province (a provincial department; a ministry's token names several provinces), or — for a
 * commune — only its own communes at the COMMUNE level.
 */
export function assertMayRead(principal: Principal, provinceCode: string, unitLevel: IndicatorQuery['unitLevel'], unitCode: string | undefined): void {
  if (principal.jurisdiction.includes(provinceCode)) return;
  if (
    unitLevel === 'COMMUNE' &&
    unitCode !== undefined &&
    principal.jurisdiction.includes(unitCode) &&
    unitsOf(provinceCode).communes.some((c) => c.code === unitCode)
  )
    return;
  throw new AccessDeniedError('out-of-scope');
}

/** The unit's own agencies: a commune's People's Committee and police for the commune; the province's departments for the province. */
export function ownsUnit(principal: Principal, unit: UnitRef, provinceCode: string): boolean {
  const communeAgency = COMMUNE_AGENCIES.has(principal.agency.type);
  if (unit.level === 'COMMUNE') return communeAgency && principal.agency.province === provinceCode && principal.jurisdiction.includes(unit.code);
  if (unit.level === 'PROVINCE') return !communeAgency && principal.agency.province === unit.code;
  return false;
}

/** The plan whose targets apply: the one named, else the province's top-level plan in force at the period's end (else the latest before it). */
export function choosePlan(plans: readonly PlanVersion[], planId: string | undefined, day: string | undefined): PlanVersion[] | undefined {
  const byPlan = new Map<string, PlanVersion[]>();
  for (const v of plans) byPlan.set(v.planId, [...(byPlan.get(v.planId) ?? []), v]);
  if (planId !== undefined) return byPlan.get(planId);
  const top = [...byPlan.values()].filter((versions) => versions[0]?.parentPlanId === null);
  const first = (versions: PlanVersion[]) => versions[0] as PlanVersion;
  const inForce = day === undefined ? [] : top.filter((v) => first(v).periodFrom <= day && first(v).periodTo >= day);
  const started = day === undefined ? top : top.filter((v) => first(v).periodFrom <= day);
  const pick = (list: PlanVersion[][]) => [...list].sort((a, b) => first(b).periodFrom.localeCompare(first(a).periodFrom))[0];
  return pick(inForce) ?? pick(started) ?? pick(top);
}

/** The targets of the version in force on `day`: the latest effectiveFrom on or before it. */
export function targetsOn(versions: readonly PlanVersion[] | undefined, day: string): PlanTargets {
  if (!versions || versions.length === 0) return new Map();
  const applicable = versions.filter((v) => v.effectiveFrom <= day).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.versionNo - b.versionNo);
  const version = applicable[applicable.length - 1] ?? versions[0];
  const targets = new Map<string, IndicatorTarget>();
  for (const t of version?.targets ?? []) targets.set(t.indicator, { unit: t.kind, comparison: t.comparison, value: Number(t.value) });
  return targets;
}

/** IndicatorReader over the insights tables: the one implementation the API, the exports and the dashboard read through. */
export class InsightsIndicatorReader implements IndicatorReader {
  constructor(
    private readonly store: InsightsStore,
    private readonly threshold: number,
  ) {}

  async indicators(query: IndicatorQuery, principal: Principal): Promise<readonly IndicatorCell[]> {
    assertMayRead(principal, query.provinceCode, query.unitLevel, query.unitCode);
    const plans = await this.store.plans(query.provinceCode);
    const explicitDay = query.period.kind === 'PLAN' ? undefined : query.period.to;
    const plan = choosePlan(plans, query.planId, explicitDay);
    if (query.planId !== undefined && !plan) throw new UnknownPlanError('No plan of that id in the province');
    const period = this.resolvePeriod(query.period, plan);
    const facts = new FactIndex(await this.store.factsOf(query.provinceCode, period.to));
    return computeIndicatorCells({
      facts,
      units: unitsOf(query.provinceCode),
      period,
      unitLevel: query.unitLevel,
      ...(query.unitCode === undefined ? {} : { unitCode: query.unitCode }),
      ...(query.codes === undefined ? {} : { codes: query.codes }),
      targets: targetsOn(plan, period.to),
      ownUnit: (unit) => ownsUnit(principal, unit, query.provinceCode),
      threshold: this.threshold,
    });
  }

  async series(
    code: string,
    query: Omit<IndicatorQuery, 'period' | 'codes'> & { readonly periodKind: PeriodKind; readonly from: string; readonly to: string },
    principal: Principal,
  ): Promise<IndicatorSeries> {
    const unitLevel = query.unitCode === undefined ? 'PROVINCE' : query.unitLevel;
    const unitCode = query.unitCode ?? query.provinceCode;
    assertMayRead(principal, query.provinceCode, unitLevel, unitCode);
    const plans = await this.store.plans(query.provinceCode);
    const plan = choosePlan(plans, query.planId, query.to);
    if (query.planId !== undefined && !plan) throw new UnknownPlanError('No plan of that id in the province');
    const periods =
      query.periodKind === 'PLAN'
        ? [this.resolvePeriod({ kind: 'PLAN', label: 'PLAN', from: '', to: '' }, plan)]
        : periodsBetween(query.periodKind, query.from, query.to);
    const last = periods[periods.length - 1]?.to ?? query.to;
    const facts = new FactIndex(await this.store.factsOf(query.provinceCode, last));
    const units = unitsOf(query.provinceCode);
    let labels = { labelVi: code, labelEn: code };
    let target: IndicatorTarget | null = null;
    const points = periods.map((period) => {
      const cell = computeIndicatorCells({
        facts,
        units,
        period,
        unitLevel,
        unitCode,
        codes: [code],
        targets: targetsOn(plan, period.to),
        ownUnit: (unit) => ownsUnit(principal, unit, query.provinceCode),
        threshold: this.threshold,
      })[0];
      if (cell) {
        labels = { labelVi: cell.labelVi, labelEn: cell.labelEn };
        target = cell.target;
      }
      return {
        period,
        value: cell?.value ?? null,
        numerator: cell?.numerator ?? null,
        denominator: cell?.denominator ?? null,
        suppressed: cell?.suppressed ?? false,
      };
    });
    return { code, ...labels, unitLevel, unitCode, target, points };
  }

  private resolvePeriod(period: IndicatorPeriod, plan: readonly PlanVersion[] | undefined): IndicatorPeriod {
    if (period.kind !== 'PLAN') return period;
    const first = plan?.[0];
    if (!first) throw new UnknownPlanError('The province has no plan: ask for a month, a quarter or a year');
    return { kind: 'PLAN', label: first.planId, from: first.periodFrom, to: first.periodTo };
  }
}
