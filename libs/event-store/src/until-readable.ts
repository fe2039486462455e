import { comparePositions } from './position';
import type { EventStore, Position } from './types';

/**
 * Resolves once a reader of the log sees the event at `position`. Readers see only what lies below
 * the oldest transaction still open anywhere on the server (ADR 0002), so a commit can stay out of
 * sight for as long as some other transaction runs; callers that must read what they have just
 * written (a test's expected log, a tool) wait here instead of reading a prefix.
 */
export async function untilReadable(store: Pick<EventStore, 'readAll'>, position: Position, options: { timeoutMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let seen: Position | undefined;
  for (;;) {
    for await (const event of store.readAll(seen === undefined ? {} : { fromPosition: seen })) seen = event.position;
    if (seen !== undefined && comparePositions(seen, position) >= 0) return;
    if (Date.now() > deadline)
      throw new Error(`position ${position.commit}/${position.prepare} did not become readable: is a transaction left open on the server?`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
