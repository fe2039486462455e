import { Gauge, type Registry } from 'prom-client';
import type { PostgresEventStore } from './postgres-event-store';

/**
 * Prometheus gauges read at scrape time. The age of the oldest open transaction matters because
 * readers see only events below it: a transaction left open holds back every subscriber, relay
 * and projection of the database (ADR 0002). Alert on it.
 */
export function registerEventStoreMetrics(registry: Registry, store: PostgresEventStore, labels: { service: string }): void {
  new Gauge({
    name: 'haidang_event_store_oldest_open_transaction_age_seconds',
    help: 'Age of the oldest transaction holding a transaction id; readers of the log wait behind it',
    labelNames: ['service'],
    registers: [registry],
    async collect() {
      this.set(labels, await store.oldestOpenTransactionAgeSeconds());
    },
  });
  new Gauge({
    name: 'haidang_event_store_head_global_position',
    help: 'Global position of the newest event visible to readers',
    labelNames: ['service'],
    registers: [registry],
    async collect() {
      this.set(labels, Number((await store.headPosition()).prepare));
    },
  });
}
