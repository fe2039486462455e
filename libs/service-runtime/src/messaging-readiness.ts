import type { ReadinessIndicator } from '@haidang/http-platform';

/** What the NATS request/reply server last said of its connection (Nest's `microservice.status`). */
export type RpcServerStatus = 'connected' | 'disconnected' | 'reconnecting' | 'not-started';

export interface MessagingParts {
  /** Each durable consumer and whether a session of it is open now. */
  readonly consumers?: () => ReadonlyArray<{ readonly durable: string; readonly live: boolean }>;
  /** The request/reply server's connection status. */
  readonly rpc?: () => RpcServerStatus;
}

export interface MessagingReadiness extends ReadinessIndicator {
  /** Consumers and the request/reply server are known only after the app is built: attached then. */
  attach(parts: MessagingParts): void;
  /** What is broken now (empty when nothing is), for logs and tests. */
  faults(): readonly string[];
}

/**
 * "Can this service do its messaging work?" — as opposed to "is NATS there?". While NATS is down
 * the service still takes commands (ADR 0001), so that never fails readiness. But NATS up while a
 * durable consumer has no session (its stream or durable could not be made again) or while the
 * request/reply server is not connected (other services' calls go unanswered) is a fault of this
 * replica that a restart or a reschedule cures: readiness fails once it has lasted `graceMs`
 * (a consumer reopens a second after a lost store; the first connection takes a moment).
 */
export function messagingReadiness(
  natsUp: () => Promise<boolean>,
  options: { readonly graceMs?: number; readonly now?: () => number } = {},
): MessagingReadiness {
  const graceMs = options.graceMs ?? 15_000;
  const now = options.now ?? Date.now;
  let parts: MessagingParts = {};
  const since = new Map<string, number>();
  const currentFaults = (): string[] => {
    const faults: string[] = [];
    for (const consumer of parts.consumers?.() ?? []) if (!consumer.live) faults.push(`consumer ${consumer.durable}`);
    const rpc = parts.rpc?.();
    if (rpc !== undefined && rpc !== 'connected') faults.push('request/reply server');
    return faults;
  };
  const lasting = (faults: readonly string[]): string[] => {
    const at = now();
    for (const fault of [...since.keys()]) if (!faults.includes(fault)) since.delete(fault);
    for (const fault of faults) if (!since.has(fault)) since.set(fault, at);
    return faults.filter((fault) => at - (since.get(fault) ?? at) >= graceMs);
  };
  return {
    key: 'messaging',
    attach(attached) {
      parts = { ...parts, ...attached };
    },
    faults: () => lasting(currentFaults()),
    async isUp() {
      const faults = lasting(currentFaults());
      if (faults.length === 0) return true;
      // With NATS down nothing can be live, and that is the broker's outage, not this replica's fault.
      return !(await natsUp().catch(() => false));
    },
  };
}
