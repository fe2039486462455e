import { HANDOVER_CATEGORIES, OFFENCES, SEIZURE_UNITS, SUBSTANCES, type RecordDetails } from './cooperation-record.events';

/**
 * The statistic categories a record counts towards, and what each record adds. The figures are
 * what `projections` and the statistics list sum by period, province, crossing and category; a
 * period summary (e.g. Lạng Sơn 2015–2020) gives its figures directly.
 */
const handoverCategories = HANDOVER_CATEGORIES.flatMap((category) => [`RECEIVED_${category}`, `HANDED_OVER_${category}`]);
const seizureCategories = SUBSTANCES.flatMap((substance) => SEIZURE_UNITS.map((unit) => `SEIZED_${substance}_${unit}`));

export const STATISTIC_CATEGORIES: readonly string[] = [
  'MEETINGS',
  'INFORMATION_EXCHANGES',
  'JOINT_PATROLS',
  ...OFFENCES.map((offence) => `JOINT_CASES_${offence}`),
  'ARRESTS',
  ...seizureCategories,
  ...handoverCategories,
  // Province-wide figures a period summary may report beside the cooperation itself.
  'TRAFFICKING_CASES_INVESTIGATED',
  'TRAFFICKING_VICTIMS',
  'CITIZENS_RETURNED',
];

export interface Figure {
  readonly category: string;
  readonly value: number;
}

export function isStatisticCategory(category: string): boolean {
  return STATISTIC_CATEGORIES.includes(category);
}

/** What one record adds to the statistics, summed per category. */
export function figuresOf(details: RecordDetails): readonly Figure[] {
  switch (details.kind) {
    case 'MEETING':
      return [{ category: 'MEETINGS', value: 1 }];
    case 'INFORMATION_EXCHANGE':
      return [{ category: 'INFORMATION_EXCHANGES', value: 1 }];
    case 'JOINT_PATROL':
      return [{ category: 'JOINT_PATROLS', value: 1 }];
    case 'JOINT_CASE': {
      const sums = new Map<string, number>([[`JOINT_CASES_${details.offence}`, 1]]);
      const arrests = details.arrests.reduce((sum, a) => sum + a.count, 0);
      if (arrests > 0) sums.set('ARRESTS', arrests);
      for (const s of details.seizures) {
        const category = `SEIZED_${s.substance}_${s.unit}`;
        sums.set(category, (sums.get(category) ?? 0) + s.quantity);
      }
      return [...sums].map(([category, value]) => ({ category, value }));
    }
    case 'HANDOVER':
      return [{ category: `${details.direction === 'RECEIVED_FROM_CHINA' ? 'RECEIVED' : 'HANDED_OVER'}_${details.category}`, value: details.count }];
    case 'PERIOD_SUMMARY':
      return details.figures.map((f) => ({ category: f.category, value: f.value }));
  }
}
