import { indicatorsOf, valueOf, type FactIndex, type IndicatorDefinition, type Measured } from './indicator-catalogue';
import type { IndicatorCell, IndicatorPeriod, IndicatorTarget, UnitLevel } from './indicator-reader.port';
import { isSmall, suppressRow } from './suppression';
import type { ProvinceUnits, UnitRef } from './units';

/** A plan target as the plan states it, by indicator code. */
export type PlanTargets = ReadonlyMap<string, IndicatorTarget>;

export interface ComputeRequest {
  readonly facts: FactIndex;
  readonly units: ProvinceUnits;
  readonly period: IndicatorPeriod;
  readonly unitLevel: UnitLevel;
  readonly unitCode?: string;
  readonly codes?: readonly string[];
  readonly targets: PlanTargets;
  /** Whether the reader is one of the unit's own agencies (they see small numbers). */
  readonly ownUnit: (unit: UnitRef) => boolean;
  readonly threshold: number;
}

function unitsAt(units: ProvinceUnits, level: UnitLevel): readonly UnitRef[] {
  return level === 'PROVINCE' ? [units.province] : level === 'COMMUNE' ? units.communes : units.districts;
}

/** The count small-number protection looks at: the smallest non-zero of numerator and denominator. */
function protectedCount(definition: IndicatorDefinition, measured: Measured): number {
  const counts = [measured.numerator, definition.measure === 'PERCENT' ? measured.denominator : null].filter((n): n is number => n !== null && n > 0);
  return counts.length === 0 ? 0 : Math.min(...counts);
}

export function shareAchieved(value: number | null, target: IndicatorTarget | null): number | null {
  if (value === null || target === null || target.value === 0) return null;
  return Math.round((value / target.value) * 1000) / 1000;
}

/**
 * Every cell of the request, computed from the facts of one province. A row (all units of the
 * level, with the province as its total) is computed whole before the requested unit is picked, so
 * that complementary suppression does not depend on how the question was asked.
 */
export function computeIndicatorCells(request: ComputeRequest): IndicatorCell[] {
  const { facts, units, period, unitLevel, targets, threshold } = request;
  const shape = { communes: units.communes.map((c) => c.code), districts: units.districts.map((d) => d.name) };
  const definitions = indicatorsOf(facts);
  const wanted = (code: string) => request.codes === undefined || request.codes.includes(code);
  const rowUnits = unitsAt(units, unitLevel);
  const cells: IndicatorCell[] = [];
  for (const definition of definitions) {
    if (!wanted(definition.code) || !definition.levels.includes(unitLevel)) continue;
    const target = targets.get(definition.code) ?? null;
    const row = rowUnits.map((unit) => ({ unit, measured: definition.measure_(facts, unit, period, shape) }));
    let hidden: readonly boolean[] = row.map(() => false);
    if (definition.countsPersons) {
      const total = definition.measure_(facts, units.province, period, shape);
      const totalCell = { count: protectedCount(definition, total), own: request.ownUnit(units.province) };
      if (unitLevel === 'PROVINCE') hidden = [!totalCell.own && isSmall(totalCell.count, threshold)];
      else
        hidden = suppressRow(
          row.map((r) => ({ count: protectedCount(definition, r.measured), own: request.ownUnit(r.unit) })),
          totalCell,
          threshold,
        ).cells;
    }
    row.forEach(({ unit, measured }, i) => {
      if (request.unitCode !== undefined && unit.code !== request.unitCode) return;
      const suppressed = hidden[i] === true;
      const value = suppressed ? null : valueOf(definition, measured);
      cells.push({
        code: definition.code,
        labelVi: definition.labelVi,
        labelEn: definition.labelEn,
        unitLevel,
        unitCode: unit.code,
        unitName: unit.name,
        period,
        numerator: suppressed ? null : measured.numerator,
        denominator: suppressed ? null : measured.denominator,
        value,
        target,
        shareAchieved: shareAchieved(value, target),
        suppressed,
      });
    });
  }
  // Targets of the plan no definition computes (e.g. a new indicator of an amended plan): shown, not computed.
  for (const [code, target] of targets) {
    if (!wanted(code) || definitions.some((d) => d.code === code)) continue;
    for (const unit of rowUnits) {
      if (request.unitCode !== undefined && unit.code !== request.unitCode) continue;
      cells.push({
        code,
        labelVi: code,
        labelEn: code,
        unitLevel,
        unitCode: unit.code,
        unitName: unit.name,
        period,
        numerator: null,
        denominator: null,
        value: null,
        target,
        shareAchieved: null,
        suppressed: false,
      });
    }
  }
  return cells;
}
