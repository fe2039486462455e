import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { resourceFromAttributes } from '@opentelemetry/resources';

export interface Telemetry {
  /** Sends what is buffered and stops (at the end of a graceful stop). */
  shutdown(): Promise<void>;
}

let installed: { provider: TracerProvider; contextManager: AsyncLocalStorageContextManager } | undefined;

/**
 * Installs tracing for this process: W3C trace context, AsyncLocalStorage context, and spans
 * exported by OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (nothing is installed without it: the API
 * stays a no-op). `exporter` replaces OTLP (tests pass an in-memory one, exported span by span).
 */
export function startTelemetry(options: { readonly service: string; readonly env?: NodeJS.ProcessEnv; readonly exporter?: SpanExporter }): Telemetry {
  const endpoint = (options.env ?? process.env)['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
  if (installed || (!endpoint && !options.exporter)) return { shutdown: async () => undefined };
  const processor = options.exporter
    ? new SimpleSpanProcessor({ exporter: options.exporter })
    : new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${(endpoint as string).replace(/\/$/, '')}/v1/traces` }) });
  const provider = new TracerProvider({ resource: resourceFromAttributes({ 'service.name': options.service }), spanProcessors: [processor] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  installed = { provider, contextManager };
  return {
    async shutdown() {
      if (!installed) return;
      await installed.provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
      installed = undefined;
    },
  };
}
