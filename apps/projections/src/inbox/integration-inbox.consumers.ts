import { createHash } from 'node:crypto';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import {
  validateCampaignsIntegrationEvent,
  validateCasesIntegrationEvent,
  validateCrossBorderIntegrationEvent,
  validateJobFollowUpRecordedV1,
  validateJobStartedV1,
  validateRecordClosedV1,
  validateReferralAcceptedV1,
  validateReferralOutcomeReportedV1,
  validateTrainingCompletedV1,
  type Validation,
} from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import {
  integrationSubjectFilter,
  UnprocessableMessageError,
  type DeadLetterSink,
  type DurableConsumer,
  type EventBus,
  type MessagingLogger,
} from '@haidang/messaging';
import type { InsightsStore, IntegrationSource } from './insights-store';
import { INTEGRATION_SOURCES } from './insights-store';

/** Commit → read-model latency buckets (seconds): from a few ms in-process to minutes behind a broker outage. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export interface InboxMetrics {
  readonly latency: Histogram<'source'>;
  readonly applied: Counter<'source'>;
  readonly duplicates: Counter<'source'>;
  readonly lag: Gauge<'source'>;
}

/** The inbox's metrics in the service's registry (served on /metrics). */
export function createInboxMetrics(registry: Registry): InboxMetrics {
  const existing = registry.getSingleMetric('haidang_projection_commit_to_read_model_seconds');
  if (existing) {
    return {
      latency: existing as Histogram<'source'>,
      applied: registry.getSingleMetric('haidang_projections_events_applied_total') as Counter<'source'>,
      duplicates: registry.getSingleMetric('haidang_projections_events_redelivered_total') as Counter<'source'>,
      lag: registry.getSingleMetric('haidang_projections_source_lag_seconds') as Gauge<'source'>,
    };
  }
  return {
    latency: new Histogram({
      name: 'haidang_projection_commit_to_read_model_seconds',
      help: "From the event's commit in its service (occurredAt) to the commit of the projections read model that applied it",
      labelNames: ['source'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    applied: new Counter({
      name: 'haidang_projections_events_applied_total',
      help: 'Integration events applied to the read model',
      labelNames: ['source'],
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'haidang_projections_events_redelivered_total',
      help: 'Integration events delivered again and ignored (already applied)',
      labelNames: ['source'],
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'haidang_projections_source_lag_seconds',
      help: 'Age of the last event applied from each source when it was applied: how far behind its source the read model ran',
      labelNames: ['source'],
      registers: [registry],
    }),
  };
}

type Validator = (value: unknown) => Validation<unknown>;
const EMPLOYMENT: Readonly<Record<string, Validator>> = {
  'employment.TrainingCompleted.v1': validateTrainingCompletedV1,
  'employment.JobStarted.v1': validateJobStartedV1,
  'employment.JobFollowUpRecorded.v1': validateJobFollowUpRecordedV1,
  'employment.RecordClosed.v1': validateRecordClosedV1,
  'employment.ReferralOutcomeReported.v1': validateReferralOutcomeReportedV1,
};

/** The contract check of an event type we use; undefined for types we do not read (acknowledged, not kept). */
export function validatorOf(type: string): Validator | undefined {
  if (type === 'cases.RehabStarted.v1' || type === 'cases.RehabCompleted.v1' || type === 'cases.PostRehabManagementStarted.v1')
    return validateCasesIntegrationEvent;
  if (type === 'referrals.ReferralAccepted.v1') return validateReferralAcceptedV1;
  if (type.startsWith('campaigns.')) return validateCampaignsIntegrationEvent;
  if (type.startsWith('cross-border.FiguresRecorded.')) return validateCrossBorderIntegrationEvent;
  return EMPLOYMENT[type];
}

export interface IntegrationInboxOptions {
  readonly bus: EventBus;
  readonly store: InsightsStore;
  readonly deadLetters: DeadLetterSink;
  readonly logger: MessagingLogger;
  readonly metrics: InboxMetrics;
  readonly clock: () => Date;
  /** Tests only: the integration subject prefix (default `int`). */
  readonly subjectPrefix?: string;
  /** Default: every source. */
  readonly sources?: readonly IntegrationSource[];
}

export const inboxDurable = (source: IntegrationSource): string => `projections-inbox-${source}`;

/**
 * What a received event is known by: its contract `eventId` (the domain event it was made from,
 * the same on every redelivery) with its type, since one domain event may yield several integration
 * events (an activity of form ARTICLE: `ActivityRecorded.v1` and `ArticlePublished.v1`).
 */
export function inboxKey(eventId: string, type: string): string {
  const hex = createHash('sha256').update(`${eventId}|${type}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * One durable consumer per source service (`int.<service>.>`), one message in flight each, so
 * every source is applied in the order it published; a message that fails its contract is
 * dead-lettered at once, one that fails otherwise is retried with back-off and then dead-lettered
 * (never dropped). Sources do not wait for each other.
 */
export class IntegrationInbox {
  private readonly consumers: DurableConsumer[] = [];

  constructor(private readonly options: IntegrationInboxOptions) {}

  async start(): Promise<void> {
    // A new mapping (DERIVED_VERSION) is applied to everything received before new events are.
    if (await this.options.store.ensureDerivedVersion()) this.options.logger.info('projections: derived tables rebuilt from the inbox for a new version');
    const prefix = this.options.subjectPrefix === undefined ? {} : { prefix: this.options.subjectPrefix };
    for (const source of this.options.sources ?? INTEGRATION_SOURCES) {
      this.consumers.push(
        await this.options.bus.consume({
          durable: inboxDurable(source),
          filterSubjects: [integrationSubjectFilter(source, prefix)],
          deadLetters: this.options.deadLetters,
          logger: this.options.logger,
          maxAckPending: 1,
          handler: (message) => this.handle(source, message),
        }),
      );
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
  }

  async handle(source: IntegrationSource, message: RecordedEvent): Promise<void> {
    const validate = validatorOf(message.type);
    if (!validate) return;
    const checked = validate(message.data);
    if (!checked.ok) throw new UnprocessableMessageError(`not a valid ${message.type}: ${checked.errors.join('; ')}`);
    const data = message.data as Readonly<Record<string, unknown>>;
    const occurredAt = typeof data['occurredAt'] === 'string' ? data['occurredAt'] : message.created.toISOString();
    const messageId = inboxKey(typeof data['eventId'] === 'string' ? data['eventId'] : message.id, message.type);
    const applied = await this.options.store.receive({ source, messageId, type: message.type, occurredAt, data }, this.options.clock());
    const { metrics } = this.options;
    if (!applied) {
      metrics.duplicates.inc({ source });
      return;
    }
    // Measured after the commit: the time a reader could first see the event.
    const seconds = Math.max(0, (this.options.clock().getTime() - Date.parse(occurredAt)) / 1000);
    metrics.latency.observe({ source }, seconds);
    metrics.applied.inc({ source });
    metrics.lag.set({ source }, seconds);
  }
}
