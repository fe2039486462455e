/** Shared by the outbox specs (not exported from the lib). */
import { randomUUID } from 'node:crypto';
import type { Position } from '@haidang/event-store';
import type { OutboxMessage } from './write-outbox-message';

export const SERVICE = 'cases';

let counter = 0;

/** A RehabCompleted-like integration event: ids, dates, codes, no personal field. */
export function rehabCompleted(options: { prefix: string; position?: Position; id?: string; correlationId?: string }): OutboxMessage {
  counter++;
  const caseId = randomUUID();
  return {
    id: options.id ?? randomUUID(),
    service: SERVICE,
    eventName: 'RehabCompleted',
    version: 1,
    subjectPrefix: options.prefix,
    data: {
      type: 'cases.RehabCompleted.v1',
      version: 1,
      eventId: randomUUID(),
      caseId,
      personId: randomUUID(),
      form: 'voluntary-community',
      communeCode: '06793',
      occurredAt: '2026-11-27T08:00:00.000Z',
      completedOn: '2026-11-26',
      n: counter,
    },
    ...(options.position ? { sourcePosition: options.position, sourceStreamId: `RehabCase-${caseId}` } : {}),
    ...(options.correlationId ? { correlationId: options.correlationId, causationId: randomUUID() } : {}),
  };
}

export const at = (commit: number, prepare: number): Position => ({ commit: BigInt(commit), prepare: BigInt(prepare) });
