import { parseAgencyCode } from './principal';
import { correlationIdFrom, currentContext, extendContext, metadataFromContext, runWithContext } from './request-context';

const principal = {
  sub: 'u-1',
  agency: { code: '22-COMMUNE-06793', type: 'COMMUNE' as const, province: '22' },
  roles: ['caseworker' as const],
  jurisdiction: ['06793'],
};

describe('request context', () => {
  it('carries the context through async work and fills event metadata from it', async () => {
    await runWithContext({ correlationId: 'corr-1', commandId: 'cmd-1' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      await extendContext({ principal }, async () => {
        await Promise.resolve();
        expect(metadataFromContext()).toEqual({ correlationId: 'corr-1', commandId: 'cmd-1', actor: 'u-1', agency: '22-COMMUNE-06793' });
      });
      expect(currentContext()?.principal).toBeUndefined();
    });
    expect(currentContext()).toBeUndefined();
  });

  it('makes a correlation id when none is given or the given one is unsafe', () => {
    expect(correlationIdFrom('abc-123')).toBe('abc-123');
    expect(correlationIdFrom('has space')).not.toBe('has space');
    expect(correlationIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
    expect(metadataFromContext(undefined).correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('agency codes', () => {
  it.each([
    ['22-PPC', { type: 'PPC', province: '22' }],
    ['22-REHAB_FACILITY-1', { type: 'REHAB_FACILITY', province: '22' }],
    ['22-COMMUNE-06793', { type: 'COMMUNE', province: '22' }],
    ['20-BORDER_GUARD', { type: 'BORDER_GUARD', province: '20' }],
  ])('parses %s', (code, expected) => expect(parseAgencyCode(code)).toMatchObject({ code, ...expected }));

  it.each(['22', 'PPC', '22-UNKNOWN', '2-PPC', '22-ppc'])('refuses %s', (code) => expect(parseAgencyCode(code)).toBeUndefined());
});
