/**
 * Demo data for `npm start` on the embedded default: each service loads its own through its own
 * HTTP API (so every event is validated, encrypted and attributed like a user's), in the order the
 * services start, and publishes the public facts (ids) later loaders build on.
 */
export interface DemoContext {
  /** Base URLs of the services running in this process, by name. */
  readonly urls: Readonly<Record<string, string>>;
  /** What the services started before this one published from their demo (ids only, never personal data). */
  readonly earlier: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>;
}

export interface DemoResult {
  /** What `npm start` prints about this service's demo (tokens, curl lines). */
  readonly lines: readonly string[];
  /** Public facts (ids) for the loaders of services started later. */
  readonly facts?: Readonly<Record<string, unknown>>;
}

/** Runs `work` over the items, at most `limit` at a time, keeping their order in the result. */
export async function eachLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
