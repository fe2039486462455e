import { recordAccess } from '@haidang/audit';
import type { EventStore } from '@haidang/event-store';

/**
 * The province's indicators as a subject of the access log, the same the indicators API records its
 * reads under: `AccessLog-indicators:22` lists who read and who exported them.
 */
export function indicatorsSubject(provinceCode: string): string {
  return `indicators:${provinceCode}`;
}

export const EXPORT_PURPOSE = 'indicators-export';

/**
 * Records an export in the access log (libs/audit) before the file leaves the service: who (actor
 * and agency, from the request context), what (the query, as codes), how many rows. An export holds
 * aggregates, so no personal field is named.
 */
export async function recordIndicatorExport(
  store: EventStore,
  now: Date,
  provinceCode: string,
  query: Readonly<Record<string, string>>,
  rowCount: number,
): Promise<void> {
  await recordAccess(store, { subjectId: indicatorsSubject(provinceCode), action: 'export', purpose: EXPORT_PURPOSE, query, rowCount }, now);
}
