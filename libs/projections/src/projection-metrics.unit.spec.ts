import { START } from '@haidang/event-store';
import { Registry } from 'prom-client';
import { createProjectionMetrics, estimateLag } from './projection-metrics';

describe('estimateLag', () => {
  it('is the difference of global sequence numbers while behind', () => {
    expect(estimateLag({ commit: 900n, prepare: 150n }, { commit: 800n, prepare: 100n })).toBe(50);
    expect(estimateLag({ commit: 900n, prepare: 150n }, START)).toBe(150);
  });

  it('is 0 exactly when the checkpoint has reached the head', () => {
    expect(estimateLag({ commit: 900n, prepare: 150n }, { commit: 900n, prepare: 150n })).toBe(0);
    expect(estimateLag(START, START)).toBe(0);
  });

  it('is at least 1 while behind, even when a later transaction took a lower sequence number', () => {
    expect(estimateLag({ commit: 901n, prepare: 149n }, { commit: 900n, prepare: 150n })).toBe(1);
  });
});

describe('createProjectionMetrics', () => {
  it('reports lag per tracked projection at scrape time and forgets an untracked one', async () => {
    const registry = new Registry();
    let head = { commit: 10n, prepare: 500n };
    const metrics = createProjectionMetrics({ registry, headPosition: async () => head });
    let checkpoint = { commit: 9n, prepare: 200n };
    const untrack = metrics.track('caseload.v1', () => checkpoint);
    expect(await registry.getSingleMetricAsString('haidang_projection_lag_events')).toContain('haidang_projection_lag_events{projection="caseload.v1"} 300');
    checkpoint = head;
    head = { commit: 11n, prepare: 501n };
    checkpoint = head;
    expect(await registry.getSingleMetricAsString('haidang_projection_lag_events')).toContain('{projection="caseload.v1"} 0');
    untrack();
    expect(await registry.getSingleMetricAsString('haidang_projection_lag_events')).not.toContain('caseload.v1');
  });

  it('counts applied events and dead letters', async () => {
    const registry = new Registry();
    const metrics = createProjectionMetrics({ registry, headPosition: async () => START });
    metrics.eventsApplied('caseload.v1', 5);
    metrics.eventsApplied('caseload.v1', 0);
    metrics.deadLettered('caseload.v1');
    const text = await registry.metrics();
    expect(text).toContain('haidang_projection_events_applied_total{projection="caseload.v1"} 5');
    expect(text).toContain('haidang_projection_dead_letters_total{projection="caseload.v1"} 1');
  });

  it('keeps serving the other metrics when the head cannot be read', async () => {
    const registry = new Registry();
    const metrics = createProjectionMetrics({
      registry,
      headPosition: async () => {
        throw new Error('database down');
      },
    });
    metrics.track('caseload.v1', () => START);
    await expect(registry.metrics()).resolves.toContain('haidang_projection_events_applied_total');
  });
});
