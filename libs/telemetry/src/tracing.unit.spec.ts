import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { startTelemetry, type Telemetry } from './setup';
import { contextFrom, inSpan, traceHeaders } from './tracing';

describe('tracing helpers', () => {
  it('are no-ops without a provider: no headers, the work still runs', async () => {
    expect(traceHeaders()).toEqual({});
    await expect(inSpan('work', {}, async () => 42)).resolves.toBe(42);
  });

  describe('with a provider', () => {
    const exporter = new InMemorySpanExporter();
    let telemetry: Telemetry;
    beforeAll(() => (telemetry = startTelemetry({ service: 'unit', exporter })));
    afterAll(() => telemetry.shutdown());

    it('carries a trace through W3C headers: a span started from them joins the trace', async () => {
      const carried = await inSpan('sender', {}, async () => traceHeaders());
      expect(carried['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      await inSpan('receiver', { parent: contextFrom(carried) }, async () => undefined);
      const [sender, receiver] = ['sender', 'receiver'].map((name) => exporter.getFinishedSpans().find((s) => s.name === name));
      expect(receiver?.spanContext().traceId).toBe(sender?.spanContext().traceId);
      expect(receiver?.parentSpanContext?.spanId).toBe(sender?.spanContext().spanId);
    });

    it('marks a span failed when its work throws, and rethrows', async () => {
      await expect(inSpan('failing', {}, async () => Promise.reject(new RangeError('bad')))).rejects.toThrow('bad');
      expect(exporter.getFinishedSpans().find((s) => s.name === 'failing')?.status).toEqual({ code: 2, message: 'RangeError' });
    });

    it('ignores a carrier without trace headers (an event appended before tracing was on)', () => {
      expect(() => contextFrom({ correlationId: 'c-1' })).not.toThrow();
    });
  });
});
