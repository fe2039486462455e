import type { Pool } from 'pg';
import { CampaignsIntegrationEventTypes, validateCampaignsIntegrationEvent, type CampaignsIntegrationEvent } from '@haidang/contracts';
import type { RecordedEvent } from '@haidang/event-store';
import { UnprocessableMessageError, type DeadLetterSink, type EventBus, type MessagingLogger } from '@haidang/messaging';
import { IntegrationConsumers, type BackgroundContext, type BackgroundWork } from '@haidang/service-kit';

/** The durable consumers (one per event type) that keep referrals' register of support models. */
export const SUPPORT_MODEL_REGISTER_DURABLES = {
  founded: 'referrals-support-models-founded',
  deactivated: 'referrals-support-models-deactivated',
  reactivated: 'referrals-support-models-reactivated',
} as const;

export interface SupportModelRegisterConsumerOptions {
  readonly bus: EventBus;
  readonly pool: Pick<Pool, 'query'>;
  readonly deadLetters: DeadLetterSink;
  readonly logger: MessagingLogger;
  /** Tests only: the integration subject prefix (default `int`). */
  readonly subjectPrefix?: string;
}

/**
 * Keeps `referrals_support_models` from the campaigns service's integration events
 * (`campaigns.SupportModelFounded/Deactivated/Reactivated.v1`): JetStream durables in a deployment,
 * the in-process bus under `npm start`. Each event sets a state dated by its own date, and a date
 * older than the row's is ignored, so a redelivery, or a deactivation that arrives on its own durable
 * before the founding, leaves the same row. No person: codes, kind, commune, dates.
 */
export class SupportModelRegisterConsumer implements BackgroundWork {
  private readonly consumers: IntegrationConsumers;

  constructor(private readonly options: SupportModelRegisterConsumerOptions) {
    const subscription = (durable: string, event: string) => ({
      durable,
      from: { service: 'campaigns', event, version: 1 },
      handle: (message: RecordedEvent) => this.handle(message),
    });
    this.consumers = new IntegrationConsumers({
      bus: options.bus,
      deadLetters: options.deadLetters,
      logger: options.logger,
      ...(options.subjectPrefix === undefined ? {} : { subjectPrefix: options.subjectPrefix }),
      subscriptions: [
        subscription(SUPPORT_MODEL_REGISTER_DURABLES.founded, 'SupportModelFounded'),
        subscription(SUPPORT_MODEL_REGISTER_DURABLES.deactivated, 'SupportModelDeactivated'),
        subscription(SUPPORT_MODEL_REGISTER_DURABLES.reactivated, 'SupportModelReactivated'),
      ],
    });
  }

  /** As the service descriptor runs it: on the service's bus, database and dead letters. */
  static for(context: BackgroundContext): SupportModelRegisterConsumer {
    const prefix = context.settings.integrationSubjectPrefix;
    return new SupportModelRegisterConsumer({
      bus: context.bus as EventBus,
      pool: context.pool,
      deadLetters: context.deadLetters,
      logger: context.logger,
      ...(prefix === undefined ? {} : { subjectPrefix: prefix }),
    });
  }

  start(): Promise<void> {
    return this.consumers.start();
  }

  stop(): Promise<void> {
    return this.consumers.stop();
  }

  async handle(message: RecordedEvent): Promise<void> {
    const checked = validateCampaignsIntegrationEvent(message.data);
    if (!checked.ok) throw new UnprocessableMessageError(`not a campaigns integration event: ${checked.errors.join('; ')}`);
    await applyToRegister(this.options.pool, checked.value);
  }
}

/** One event's change to the register; idempotent, and indifferent to the order of events of different dates. */
export async function applyToRegister(pool: Pick<Pool, 'query'>, event: CampaignsIntegrationEvent): Promise<void> {
  switch (event.type) {
    case CampaignsIntegrationEventTypes.SupportModelFoundedV1:
      // A status event dated later than the founding (arrived first on its own durable) keeps its state.
      await pool.query(
        `INSERT INTO referrals_support_models (model_code, model_id, kind, commune_code, founded_on, active, as_of, updated_at)
         VALUES ($1, $2, $3, $4, $5, true, $5, now())
         ON CONFLICT (model_code) DO UPDATE SET model_id = EXCLUDED.model_id, kind = EXCLUDED.kind, commune_code = EXCLUDED.commune_code,
           founded_on = EXCLUDED.founded_on, updated_at = now()`,
        [event.modelCode, event.modelId, event.kind, event.communeCode, event.foundedOn],
      );
      return;
    case CampaignsIntegrationEventTypes.SupportModelDeactivatedV1:
      await setStanding(pool, event.modelCode, event.modelId, false, event.deactivatedOn);
      return;
    case CampaignsIntegrationEventTypes.SupportModelReactivatedV1:
      await setStanding(pool, event.modelCode, event.modelId, true, event.reactivatedOn);
      return;
    default:
      // Other campaigns events are not this consumer's (its filters name only these three).
      return;
  }
}

async function setStanding(pool: Pick<Pool, 'query'>, modelCode: string, modelId: string, active: boolean, onDate: string): Promise<void> {
  await pool.query(
    `INSERT INTO referrals_support_models (model_code, model_id, active, as_of, updated_at)
     VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (model_code) DO UPDATE SET active = EXCLUDED.active, as_of = EXCLUDED.as_of, updated_at = now()
     WHERE referrals_support_models.as_of <= EXCLUDED.as_of`,
    [modelCode, modelId, active, onDate],
  );
}

/**
 * The register as the write side's port reads it (`SupportModelRegister`): unknown until the
 * founding arrived, else active or not as of the latest status event.
 */
export function supportModelRegisterFrom(pool: Pick<Pool, 'query'>): { standingOf(modelCode: string): Promise<'active' | 'inactive' | 'unknown'> } {
  return {
    async standingOf(modelCode) {
      const { rows } = await pool.query<{ active: boolean; kind: string | null }>('SELECT active, kind FROM referrals_support_models WHERE model_code = $1', [
        modelCode,
      ]);
      const row = rows[0];
      if (row === undefined || row.kind === null) return 'unknown';
      return row.active ? 'active' : 'inactive';
    },
  };
}
