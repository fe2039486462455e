import { Counter, Gauge, type Registry } from 'prom-client';

type Labels = 'relay';

/** Computes one relay's lag at scrape time; registered per relay instance. */
export type LagProbe = () => Promise<number | undefined>;

export interface RelayMetrics {
  readonly relayed: Counter<Labels>;
  readonly active: Gauge<Labels>;
  readonly resends: Counter<Labels>;
  readonly failures: Counter<Labels>;
  readonly checkpointSequence: Gauge<Labels>;
  registerLagProbe(relayId: string, probe: LagProbe): () => void;
}

const LAG_NAME = 'haidang_relay_lag_events';
// Several relays may share a registry (a process relaying two stores, tests): each adds its probe.
const lagProbes = new WeakMap<Registry, Map<string, LagProbe>>();

function counter(registry: Registry, name: string, help: string): Counter<Labels> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<Labels>;
  return new Counter({ name, help, labelNames: ['relay'], registers: [registry] });
}

function gauge(registry: Registry, name: string, help: string): Gauge<Labels> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Gauge<Labels>;
  return new Gauge({ name, help, labelNames: ['relay'], registers: [registry] });
}

export function relayMetrics(registry: Registry): RelayMetrics {
  let probes = lagProbes.get(registry);
  if (!probes) {
    const map = new Map<string, LagProbe>();
    probes = map;
    lagProbes.set(registry, map);
    if (!registry.getSingleMetric(LAG_NAME)) {
      new Gauge({
        name: LAG_NAME,
        help: 'Committed events not yet relayed (capped at 1,000,000): the distance from the relay checkpoint to the head of the log',
        labelNames: ['relay'],
        registers: [registry],
        async collect() {
          await Promise.all(
            [...map].map(async ([relayId, probe]) => {
              const lag = await probe().catch(() => undefined);
              if (lag !== undefined) this.set({ relay: relayId }, lag);
            }),
          );
        },
      });
    }
  }
  const registered = probes;
  return {
    relayed: counter(registry, 'haidang_relay_events_relayed_total', 'Events published to the bus and checkpointed'),
    active: gauge(registry, 'haidang_relay_active', '1 while this process holds the relay lock and publishes, 0 on standby'),
    resends: counter(
      registry,
      'haidang_relay_resends_total',
      'Times the stream was found behind the checkpoint (acknowledged messages lost) and the tail was re-sent',
    ),
    failures: counter(registry, 'haidang_relay_session_failures_total', 'Publishing sessions that failed (broker down, refused message, timeout)'),
    checkpointSequence: gauge(registry, 'haidang_relay_checkpoint_stream_sequence', 'Stream sequence recorded with the last checkpoint'),
    registerLagProbe(relayId, probe) {
      registered.set(relayId, probe);
      return () => {
        if (registered.get(relayId) === probe) registered.delete(relayId);
      };
    },
  };
}
