import fc from 'fast-check';
import { canonicalJson } from './canonical-json';
import { InvalidAppendError } from './errors';
import { jsonEvent, normalizeAppend } from './event-data';
import { comparePositions, formatPosition, parsePosition } from './position';

describe('normalizeAppend', () => {
  it('fills id (UUID v7), schema version and metadata', () => {
    const [event] = normalizeAppend('RehabCase-1', { type: 'RehabStarted', data: { on: '2026-07-02' } });
    expect(event).toMatchObject({ type: 'RehabStarted', schemaVersion: 1, metadata: {}, data: { on: '2026-07-02' } });
    expect(event?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it.each([
    ['an empty stream name', '', [{ type: 'A', data: {} }]],
    ['a stream name with a space', 'Rehab Case-1', [{ type: 'A', data: {} }]],
    ['no events', 'S-1', []],
    ['a type with a wildcard', 'S-1', [{ type: 'A*', data: {} }]],
    ['a type with a dot (a subject token)', 'S-1', [{ type: 'Rehab.Started', data: {} }]],
    ['an event over 256 KiB', 'S-1', [{ type: 'A', data: { note: 'x'.repeat(256 * 1024) } }]],
    ['array data', 'S-1', [{ type: 'A', data: [] }]],
    ['null data', 'S-1', [{ type: 'A', data: null }]],
    ['a bad id', 'S-1', [{ type: 'A', data: {}, id: 'not-a-uuid' }]],
    ['version 0', 'S-1', [{ type: 'A', data: {}, schemaVersion: 0 }]],
  ])('refuses %s', (_label, stream, events) => {
    expect(() => normalizeAppend(stream, events as never)).toThrow(InvalidAppendError);
  });

  it('makes time-ordered ids', () => {
    const ids = Array.from({ length: 50 }, () => jsonEvent({ type: 'A', data: {} }).id);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('canonicalJson', () => {
  it('gives the same text whatever the key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
        expect(JSON.parse(canonicalJson(object))).toEqual(JSON.parse(JSON.stringify(object)));
      }),
    );
  });
});

describe('positions', () => {
  const position = fc.record({ commit: fc.bigInt({ min: 0n, max: 2n ** 63n }), prepare: fc.bigInt({ min: 0n, max: 2n ** 63n }) });

  it('round-trip through their text form', () => {
    fc.assert(fc.property(position, (p) => expect(parsePosition(formatPosition(p))).toEqual(p)));
  });

  it('order by transaction id first, then global position', () => {
    fc.assert(
      fc.property(position, position, (a, b) => {
        const expected = a.commit !== b.commit ? (a.commit < b.commit ? -1 : 1) : a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;
        expect(comparePositions(a, b)).toBe(expected);
        expect(comparePositions(b, a)).toBe(-expected);
      }),
    );
  });

  it('refuses malformed text', () => {
    expect(() => parsePosition('12')).toThrow();
    expect(() => parsePosition('a:b')).toThrow();
  });
});

describe('canonicalJson and JSON.stringify', () => {
  it('agree on what a value means, whatever the key order', () => {
    fc.assert(
      fc.property(fc.anything({ withDate: true, withNullPrototype: false }), (value) => {
        const viaJson = JSON.stringify(value);
        if (viaJson === undefined) return;
        expect(canonicalJson(JSON.parse(viaJson))).toBe(canonicalJson(value));
      }),
    );
  });
});
