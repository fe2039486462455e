import type { Pool } from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { CheckpointChannel } from './checkpoint-channel';
import { createCheckpoint, loadCheckpoints, parsePayload, type CheckpointOutcome, type SignedCheckpoint } from './checkpoint';
import type { IntegritySigningKey, IntegrityVerificationKey } from './signing-key';
import { verifyLog, type IntegrityReport } from './verify-log';

/** Security events go here: one structured line at warn level, ids and codes only (no personal data). */
export interface SecurityLog {
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface IntegrityServiceOptions {
  readonly service: string;
  readonly pool: Pool;
  readonly key: IntegritySigningKey;
  readonly clock: () => Date;
  readonly log: SecurityLog;
  readonly registry?: Registry;
  /** The copy outside the database; without one (embedded default) checkpoints live only in the database. */
  readonly channel?: CheckpointChannel;
}

/** What `GET /api/v1/integrity`, the checkpointer and the on-demand route share. */
export class IntegrityService {
  private readonly breaks: Counter<'service' | 'reason'> | undefined;
  private readonly checkpoints: Counter<'service' | 'outcome'> | undefined;
  private readonly sequence: Gauge<'service'> | undefined;

  constructor(private readonly options: IntegrityServiceOptions) {
    const registry = options.registry;
    if (registry) {
      this.breaks = metric(
        registry,
        'haidang_integrity_breaks_total',
        () =>
          new Counter({
            name: 'haidang_integrity_breaks_total',
            help: 'Places where the log does not verify against its hash chains or signed checkpoints, found by a read of the log (integrity check or checkpointer), by reason',
            labelNames: ['service', 'reason'],
            registers: [registry],
          }),
      );
      this.checkpoints = metric(
        registry,
        'haidang_integrity_checkpoints_total',
        () =>
          new Counter({
            name: 'haidang_integrity_checkpoints_total',
            help: 'Checkpoint attempts by outcome: created, unchanged (nothing appended), chain-broken (refused to sign)',
            labelNames: ['service', 'outcome'],
            registers: [registry],
          }),
      );
      this.sequence = metric(
        registry,
        'haidang_integrity_checkpoint_sequence',
        () =>
          new Gauge({
            name: 'haidang_integrity_checkpoint_sequence',
            help: 'Sequence number of the latest signed checkpoint this instance made',
            labelNames: ['service'],
            registers: [registry],
          }),
      );
    }
  }

  get service(): string {
    return this.options.service;
  }

  get keyId(): string {
    return this.options.key.keyId;
  }

  get verificationKey(): IntegrityVerificationKey {
    return this.options.key;
  }

  /** Verifies the log against the stored checkpoints and, when NATS is there, the latest published copy. */
  async verify(): Promise<IntegrityReport> {
    const published: SignedCheckpoint[] = [];
    if (this.options.channel) {
      try {
        const latest = await this.options.channel.latest(this.options.service);
        if (latest) published.push(latest);
      } catch {
        this.options.log.warn('integrity: the published checkpoints could not be read; verifying against the stored ones only', {
          service: this.options.service,
        });
      }
    }
    const report = await verifyLog(this.options.pool, { service: this.options.service, key: this.options.key, now: this.options.clock(), published });
    if (!report.intact) {
      for (const finding of report.breaks) this.breaks?.inc({ service: this.options.service, reason: finding.reason });
      this.options.log.warn('integrity: the log does not verify', {
        securityEvent: 'integrity-break',
        service: this.options.service,
        breakCount: report.breakCount,
        firstReason: report.firstBreak?.reason,
        firstStream: report.firstBreak?.streamName,
        firstRevision: report.firstBreak?.revision,
        firstCheckpoint: report.firstBreak?.checkpoint,
      });
    }
    return report;
  }

  /** Signs a checkpoint now (if the log moved, or always with `force`), stores it, then publishes what is unpublished. */
  async checkpoint(force = false): Promise<CheckpointOutcome> {
    const outcome = await createCheckpoint(this.options.pool, { service: this.options.service, key: this.options.key, now: this.options.clock(), force });
    this.checkpoints?.inc({ service: this.options.service, outcome: outcome.created ? 'created' : outcome.reason });
    if (outcome.created) this.sequence?.set({ service: this.options.service }, outcome.parsed.sequence);
    if (!outcome.created && outcome.reason === 'chain-broken') {
      for (const found of outcome.breaks.slice(0, 100)) this.breaks?.inc({ service: this.options.service, reason: found.reason });
      const first = outcome.breaks[0];
      this.options.log.warn('integrity: the log does not verify; no checkpoint signed', {
        securityEvent: 'integrity-break',
        service: this.options.service,
        breakCount: outcome.breaks.length,
        firstReason: first?.reason,
        firstStream: first?.streamName,
        firstRevision: first?.revision,
      });
    }
    await this.publishPending();
    return outcome;
  }

  /** Publishes stored checkpoints not yet confirmed by JetStream (a NATS outage only delays them). */
  async publishPending(): Promise<number> {
    const channel = this.options.channel;
    if (!channel) return 0;
    let sent = 0;
    try {
      for (const checkpoint of await loadCheckpoints(this.options.pool, this.options.service)) {
        if (checkpoint.publishedAt) continue;
        await channel.publish(this.options.service, parsePayload(checkpoint.payload)?.log ?? 'unknown', checkpoint.sequence, checkpoint);
        await this.options.pool.query(`UPDATE integrity_checkpoints SET published_at = now() WHERE service = $1 AND sequence = $2`, [
          this.options.service,
          checkpoint.sequence,
        ]);
        sent++;
      }
    } catch {
      this.options.log.warn('integrity: checkpoints could not be published on NATS yet; retried with the next checkpoint', { service: this.options.service });
    }
    return sent;
  }
}

function metric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** Checkpoints at start and then every `intervalMs` (`INTEGRITY_CHECKPOINT_INTERVAL_SECONDS`, default 900). */
export class IntegrityCheckpointer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly integrity: IntegrityService,
    private readonly intervalMs: number,
    private readonly log: SecurityLog,
  ) {}

  start(): void {
    const tick = (): void => {
      if (this.running) return;
      this.running = this.integrity
        .checkpoint()
        .catch((error: unknown) =>
          this.log.warn('integrity: checkpoint failed; retried at the next interval', {
            service: this.integrity.service,
            error: error instanceof Error ? error.name : 'unknown',
          }),
        )
        .finally(() => (this.running = undefined));
    };
    // Not awaited: the first checkpoint runs beside the rest of the boot.
    tick();
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

export function checkpointIntervalMsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env['INTEGRITY_CHECKPOINT_INTERVAL_SECONDS']?.trim();
  const seconds = raw ? Number(raw) : 900;
  if (!Number.isFinite(seconds) || seconds < 1) throw new Error('INTEGRITY_CHECKPOINT_INTERVAL_SECONDS must be a positive number of seconds');
  return seconds * 1000;
}
