import { Counter, type Registry } from 'prom-client';
import { streamCategoryOf, type ChainFinding } from '@haidang/event-store';
import type { SecurityLog } from './integrity-service';

/** A store whose verified reads tell of the breaks they refuse (the PostgreSQL adapter's `onChainBreak`). */
export interface ChainBreakSource {
  onChainBreak(listener: (finding: ChainFinding) => void): () => void;
}

export const READ_BREAKS_METRIC = 'haidang_integrity_read_breaks_total';

/**
 * Issue 10 §3: a read of a stream whose chain does not verify is a security event. Each refused
 * read is logged once (stream, revision and reason: ids and codes, never the payload) and counted
 * in `haidang_integrity_read_breaks_total{service,stream_category}`. Returns the unsubscribe.
 */
export function reportReadBreaks(
  source: ChainBreakSource,
  options: { readonly service: string; readonly registry: Registry; readonly log: SecurityLog },
): () => void {
  const counter =
    (options.registry.getSingleMetric(READ_BREAKS_METRIC) as Counter<'service' | 'stream_category'> | undefined) ??
    new Counter({
      name: READ_BREAKS_METRIC,
      help: 'Reads of a single stream refused because its hash chain does not verify (an aggregate load or a verified read), by stream category',
      labelNames: ['service', 'stream_category'],
      registers: [options.registry],
    });
  return source.onChainBreak((finding) => {
    const streamCategory = streamCategoryOf(finding.streamName);
    counter.inc({ service: options.service, stream_category: streamCategory });
    options.log.warn('integrity: a stream read does not verify; refused', {
      securityEvent: 'integrity-read-break',
      security: true,
      service: options.service,
      stream: finding.streamName,
      streamCategory,
      revision: finding.revision.toString(),
      reason: finding.reason,
    });
  });
}
