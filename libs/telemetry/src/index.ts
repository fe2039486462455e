export { startTelemetry, type Telemetry } from './setup';
export { contextFrom, CORRELATION_ID_ATTRIBUTE, inSpan, startSpan, traceHeaders, withContext, type Carrier, type SpanOptions } from './tracing';
