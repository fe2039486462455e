import { UpcasterRegistry } from './upcasters';

describe('UpcasterRegistry', () => {
  const registry = new UpcasterRegistry()
    .register('PersonRegistered', 1, ({ fullName, ...rest }) => ({ ...rest, name: { full: fullName } }))
    .register('PersonRegistered', 2, (data, metadata) => ({ ...data, registeredBy: metadata.agency ?? 'unknown' }));

  it('chains upcasters from the stored version to the newest', () => {
    expect(registry.upcast('PersonRegistered', 1, { fullName: 'A', sex: 'F' }, { agency: '22-DOLISA' })).toEqual({
      schemaVersion: 3,
      data: { sex: 'F', name: { full: 'A' }, registeredBy: '22-DOLISA' },
    });
  });

  it('starts from the stored version', () => {
    expect(registry.upcast('PersonRegistered', 2, { name: { full: 'B' } }, {})).toEqual({
      schemaVersion: 3,
      data: { name: { full: 'B' }, registeredBy: 'unknown' },
    });
  });

  it('leaves current and unknown types untouched', () => {
    const data = { x: 1 };
    expect(registry.upcast('PersonRegistered', 3, data, {})).toEqual({ schemaVersion: 3, data });
    expect(registry.upcast('Other', 1, data, {})).toEqual({ schemaVersion: 1, data });
  });

  it('refuses two upcasters for the same version', () => {
    expect(() => registry.register('PersonRegistered', 1, (d) => d)).toThrow(/already registered/);
  });
});
