import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceDefinition } from './service';

/** Where every service keeps its descriptor: `apps/<name>/src/service.ts`, exporting `service`. */
export const DESCRIPTOR_FILE = join('src', 'service.ts');

/**
 * The services of this checkout, from their descriptors, in an order where a service that calls
 * another (`calls`) comes after it. Read at run time from the files (no list to keep, and tools
 * import no app's code at compile time: apps are not libraries).
 */
export function discoverServices(appsDir: string): ServiceDefinition[] {
  const found = readdirSync(appsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(appsDir, entry.name, DESCRIPTOR_FILE)))
    .map((entry) => {
      // A descriptor is found at run time, by convention: apps are not libraries to import.
      const loaded = require(join(appsDir, entry.name, DESCRIPTOR_FILE)) as { service?: ServiceDefinition };
      if (loaded.service === undefined || loaded.service.name !== entry.name)
        throw new Error(`apps/${entry.name}/${DESCRIPTOR_FILE} must export \`service\` named ${entry.name}`);
      return loaded.service;
    });
  return inCallOrder(found);
}

/** Callees before callers (ties by port); a call to a service not here, or a cycle, is an error. */
export function inCallOrder(services: readonly ServiceDefinition[]): ServiceDefinition[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const ordered: ServiceDefinition[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (service: ServiceDefinition, path: readonly string[]): void => {
    if (state.get(service.name) === 'done') return;
    if (state.get(service.name) === 'visiting') throw new Error(`services call each other in a circle: ${[...path, service.name].join(' → ')}`);
    state.set(service.name, 'visiting');
    for (const callee of service.calls ?? []) {
      const target = byName.get(callee);
      if (target === undefined) throw new Error(`${service.name} calls ${callee}, which is not in apps/`);
      visit(target, [...path, service.name]);
    }
    state.set(service.name, 'done');
    ordered.push(service);
  };
  for (const service of [...services].sort((a, b) => a.port - b.port)) visit(service, []);
  return ordered;
}
