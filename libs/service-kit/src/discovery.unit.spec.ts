import { join } from 'node:path';
import { discoverServices, inCallOrder, type ServiceDefinition } from './index';

const service = (name: string, port: number, calls: readonly string[] = []): ServiceDefinition =>
  ({ name, port, calls, aggregates: [], projections: [], module: () => ({ module: class {} }) }) as unknown as ServiceDefinition;

describe('service discovery', () => {
  it('orders callees before callers, then by port', () => {
    const ordered = inCallOrder([
      service('referrals', 3002, ['cases']),
      service('campaigns', 3004),
      service('cases', 3001),
      service('cross-border', 3005, ['referrals']),
    ]);
    expect(ordered.map((s) => s.name)).toEqual(['cases', 'referrals', 'campaigns', 'cross-border']);
  });

  it('refuses a call to a service that is not there, and a circle of calls', () => {
    expect(() => inCallOrder([service('referrals', 3002, ['cases'])])).toThrow('referrals calls cases, which is not in apps/');
    expect(() => inCallOrder([service('a', 1, ['b']), service('b', 2, ['a'])])).toThrow('services call each other in a circle: a → b → a');
  });

  it('finds every service of this checkout by its descriptor file', () => {
    const names = discoverServices(join(__dirname, '..', '..', '..', 'apps')).map((s) => s.name);
    expect(names).toContain('cases');
    expect(names.indexOf('cases')).toBe(0);
  });
});
