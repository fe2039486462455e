import { Counter, Gauge, type Registry } from 'prom-client';

type Labels = 'service';

export interface OutboxBacklog {
  readonly pending: number;
  /** Age of the oldest unpublished message, 0 when none. */
  readonly oldestAgeSeconds: number;
}

export type BacklogProbe = () => Promise<OutboxBacklog>;

export interface OutboxMetrics {
  readonly published: Counter<Labels>;
  readonly failures: Counter<Labels>;
  readonly active: Gauge<Labels>;
  registerBacklogProbe(service: string, probe: BacklogProbe): () => void;
}

const PENDING = 'haidang_outbox_pending_messages';
const OLDEST = 'haidang_outbox_oldest_pending_age_seconds';
// Several publishers may share a registry (tests, a process serving two services): each adds its probe.
const probesByRegistry = new WeakMap<Registry, Map<string, BacklogProbe>>();

function counter(registry: Registry, name: string, help: string): Counter<Labels> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<Labels>;
  return new Counter({ name, help, labelNames: ['service'], registers: [registry] });
}

function gauge(registry: Registry, name: string, help: string): Gauge<Labels> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Gauge<Labels>;
  return new Gauge({ name, help, labelNames: ['service'], registers: [registry] });
}

function backlogGauge(registry: Registry, name: string, help: string, probes: Map<string, BacklogProbe>, pick: (backlog: OutboxBacklog) => number): void {
  if (registry.getSingleMetric(name)) return;
  new Gauge({
    name,
    help,
    labelNames: ['service'],
    registers: [registry],
    async collect() {
      await Promise.all(
        [...probes].map(async ([service, probe]) => {
          const backlog = await probe().catch(() => undefined);
          if (backlog) this.set({ service }, pick(backlog));
        }),
      );
    },
  });
}

export function outboxMetrics(registry: Registry): OutboxMetrics {
  let probes = probesByRegistry.get(registry);
  if (!probes) {
    probes = new Map();
    probesByRegistry.set(registry, probes);
    backlogGauge(registry, PENDING, 'Integration events in the outbox not yet published (computed at scrape)', probes, (b) => b.pending);
    backlogGauge(
      registry,
      OLDEST,
      'Age of the oldest unpublished integration event in the outbox, 0 when none (computed at scrape)',
      probes,
      (b) => b.oldestAgeSeconds,
    );
  }
  const registered = probes;
  return {
    published: counter(registry, 'haidang_outbox_published_total', 'Integration events published from the outbox and marked published'),
    failures: counter(
      registry,
      'haidang_outbox_publish_failures_total',
      'Outbox publishing sessions that failed (broker down, refused message, timeout, database error)',
    ),
    active: gauge(registry, 'haidang_outbox_publisher_active', '1 while this process holds the outbox lock of the service and publishes, 0 on standby'),
    registerBacklogProbe(service, probe) {
      registered.set(service, probe);
      return () => {
        if (registered.get(service) === probe) registered.delete(service);
      };
    },
  };
}
