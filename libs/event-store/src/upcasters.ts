import type { EventMetadata, EventPayload } from './types';

/** Turns the data of `type` at `fromVersion` into its shape at `fromVersion + 1`. */
export type Upcaster = (data: EventPayload, metadata: EventMetadata) => EventPayload;

/**
 * Upcasters keyed by (type, version). Reading applies them in sequence until no upcaster is
 * registered for the current version, so v1 → v2 → v3 happens on every read path (readStream,
 * readAll, subscribeToAll) and stored events are never rewritten.
 */
export class UpcasterRegistry {
  private readonly upcasters = new Map<string, Upcaster>();

  register(type: string, fromVersion: number, upcaster: Upcaster): this {
    const key = UpcasterRegistry.key(type, fromVersion);
    if (this.upcasters.has(key)) throw new Error(`An upcaster for ${type} v${fromVersion} is already registered`);
    this.upcasters.set(key, upcaster);
    return this;
  }

  upcast(type: string, version: number, data: EventPayload, metadata: EventMetadata): { schemaVersion: number; data: EventPayload } {
    let current = data;
    let currentVersion = version;
    for (
      let upcaster = this.upcasters.get(UpcasterRegistry.key(type, currentVersion));
      upcaster;
      upcaster = this.upcasters.get(UpcasterRegistry.key(type, currentVersion))
    ) {
      current = upcaster(current, metadata);
      currentVersion += 1;
    }
    return { schemaVersion: currentVersion, data: current };
  }

  private static key(type: string, version: number): string {
    return `${type}\u0000${version}`;
  }
}
