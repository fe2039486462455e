import type { RecordedEvent } from '@haidang/event-store';
import { decodeEvent, encodeEvent, EventDecodeError, EventHeaders, eventHeaders } from './event-codec';

const event: RecordedEvent = {
  id: '0190f5a2-7c1e-7b3a-9d4e-0123456789ab',
  type: 'RehabStarted',
  schemaVersion: 2,
  streamId: 'RehabCase-0190f5a2-0000-7000-8000-000000000001',
  revision: 9_007_199_254_740_993n, // beyond Number.MAX_SAFE_INTEGER: must survive as a bigint
  position: { commit: 18_446_744_073_709_551_000n, prepare: 42n },
  created: new Date('2025-03-01T08:30:00.123Z'),
  data: { form: 'voluntary-community', startedOn: '2025-03-01', nested: { a: [1, 2] } },
  metadata: { actor: 'user-1', agency: '22-DOLISA', correlationId: 'corr-1', causationId: 'cause-1', commandId: 'cmd-1' },
};

describe('event codec', () => {
  it('round-trips a recorded event with its bigints and date restored', () => {
    expect(decodeEvent(encodeEvent(event))).toEqual(event);
  });

  it('refuses payloads that are not recorded events', () => {
    expect(() => decodeEvent(new TextEncoder().encode('not json'))).toThrow(EventDecodeError);
    expect(() => decodeEvent(new TextEncoder().encode('{"id":"x"}'))).toThrow(EventDecodeError);
    expect(() => decodeEvent(new Uint8Array([0xff, 0xfe]))).toThrow(EventDecodeError);
  });

  it('puts the msg id, type, position, stream and correlation id in headers', () => {
    expect(eventHeaders(event)).toEqual({
      [EventHeaders.MsgId]: event.id,
      [EventHeaders.EventType]: 'RehabStarted',
      [EventHeaders.SchemaVersion]: '2',
      [EventHeaders.Position]: '18446744073709551000:42',
      [EventHeaders.StreamId]: event.streamId,
      [EventHeaders.CorrelationId]: 'corr-1',
      [EventHeaders.CausationId]: 'cause-1',
    });
  });

  it('leaves out a correlation id NATS could not carry in a header', () => {
    const headers = eventHeaders({ ...event, metadata: { correlationId: 'a\r\nInjected: yes' } });
    expect(headers[EventHeaders.CorrelationId]).toBeUndefined();
  });
});
