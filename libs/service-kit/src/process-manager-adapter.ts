import type { DomainError } from '@haidang/decider';
import type { RecordedEvent } from '@haidang/event-store';
import { UnprocessableMessageError } from '@haidang/messaging';
import { runWithContext, type Principal } from '@haidang/request-context';
import type { CommandResult } from './command-pipeline';

/** A message that may apply later (the aggregate is being written meanwhile): the bus redelivers it with back-off. */
export class CommandNotAppliedYetError extends Error {
  override readonly name = 'CommandNotAppliedYetError';
}

export interface IntegrationCommand {
  /** Who acts: a system principal named after the process manager, for the agency the event concerns. */
  readonly principal: Principal;
  /** Runs the command through the pipeline (at the version just loaded), under the message's id as Idempotency-Key. */
  run(idempotencyKey: string): Promise<CommandResult<unknown>>;
  /** A refusal that time may lift (e.g. a date a little ahead of this clock): retried instead of dead-lettered. */
  readonly transient?: (error: DomainError) => boolean;
}

/**
 * An integration event turned into a command through the same pipeline as any HTTP request, once
 * per message: the append carries `int:<event id>` as its Idempotency-Key (a redelivery appends
 * nothing), the events are caused by the message and carry its correlation id. What no retry can
 * fix (not found, a rule that refuses) is dead-lettered at once; a conflict is retried on the new state.
 */
export async function applyIntegrationEvent(message: RecordedEvent, eventId: string, command: IntegrationCommand): Promise<void> {
  await runWithContext({ correlationId: correlationOf(message), causationId: eventId, commandId: eventId, principal: command.principal }, async () => {
    const result = await command.run(`int:${eventId}`);
    if (result.ok) return;
    const failure = result.failure;
    if (failure.kind === 'version-conflict') throw new CommandNotAppliedYetError('the aggregate changed meanwhile');
    if (failure.kind === 'not-found') throw new UnprocessableMessageError('no such aggregate');
    if (command.transient?.(failure.error)) throw new CommandNotAppliedYetError(failure.error.code);
    throw new UnprocessableMessageError(failure.error.code);
  });
}

function correlationOf(message: RecordedEvent): string {
  const value = (message.metadata as { correlationId?: unknown }).correlationId;
  return typeof value === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : message.id;
}
