import { context, propagation, trace, SpanKind, SpanStatusCode, type Attributes, type Context, type Span } from '@opentelemetry/api';

/**
 * Traces across HTTP → command → append → relay → JetStream → consumer → projection, and across
 * services (NATS request/reply, integration events). The spans are made here with the
 * `@opentelemetry/api` alone: without a registered provider (tests, `npm start` without
 * OTEL_EXPORTER_OTLP_ENDPOINT) every call is the API's no-op and costs next to nothing.
 * Attributes are ids, names and codes — never a payload, never personal data.
 */
const tracer = () => trace.getTracer('haidang');

/** The attribute every span of a request carries: find the whole story of one request by it. */
export const CORRELATION_ID_ATTRIBUTE = 'haidang.correlation_id';

export type Carrier = Record<string, string>;

/** The active trace as W3C headers (`traceparent`, `tracestate`), for a message or an event's metadata. */
export function traceHeaders(from: Context = context.active()): Carrier {
  const carrier: Carrier = {};
  propagation.inject(from, carrier);
  return carrier;
}

/** The context a message or an event carried (its `traceparent`), or the active one when it carried none. */
export function contextFrom(carrier: Readonly<Record<string, unknown>> | undefined): Context {
  if (!carrier) return context.active();
  const headers: Carrier = {};
  for (const key of ['traceparent', 'tracestate']) {
    const value = carrier[key];
    if (typeof value === 'string') headers[key] = value;
  }
  return Object.keys(headers).length === 0 ? context.active() : propagation.extract(context.active(), headers);
}

export interface SpanOptions {
  readonly kind?: 'server' | 'client' | 'producer' | 'consumer' | 'internal';
  readonly attributes?: Attributes;
  /** The parent: a context extracted from a message (contextFrom); default the active one. */
  readonly parent?: Context;
}

const KINDS = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
  internal: SpanKind.INTERNAL,
} as const;

/** Runs `work` inside a new span (the active one while it runs); an exception marks the span failed and is rethrown. */
export async function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: KINDS[options.kind ?? 'internal'], ...(options.attributes ? { attributes: options.attributes } : {}) }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
    throw error;
  } finally {
    span.end();
  }
}

/** A span that starts now and is ended by the caller (an HTTP request ends when its response is sent). */
export function startSpan(name: string, options: SpanOptions): { readonly span: Span; readonly context: Context } {
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: KINDS[options.kind ?? 'internal'], ...(options.attributes ? { attributes: options.attributes } : {}) }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Runs `work` with `ctx` active (the request's span for everything Express runs after the middleware). */
export function withContext<T>(ctx: Context, work: () => T): T {
  return context.with(ctx, work);
}
