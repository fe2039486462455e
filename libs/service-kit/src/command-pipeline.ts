import { inSpan } from '@haidang/telemetry';
import { decideAll, isDomainError, type Clock, type DomainError, type Message } from '@haidang/decider';
import { WrongExpectedVersionError } from '@haidang/event-store';
import type { AggregateDefinition } from './aggregate';
import { AggregateStore, type AggregateStoreDependencies, type IdempotentRequest } from './aggregate-store';

/** What a command came to. Failures are data: each adapter (HTTP, NATS, process manager) says them its own way. */
export type CommandResult<TEvent = Message> =
  | { readonly ok: true; readonly id: string; readonly version: number; readonly events: readonly TEvent[] }
  | { readonly ok: false; readonly failure: CommandFailure };

export type CommandFailure =
  /** The aggregate does not exist, or the caller may not know that it does. */
  | { readonly kind: 'not-found' }
  /** The version the caller decided on is not the current one (and no retry under a key explains it). */
  | { readonly kind: 'version-conflict' }
  /** A rule of the domain refused the command. */
  | { readonly kind: 'rejected'; readonly error: DomainError };

/** How the caller decided: on a version it read (`If-Match`), or on a new aggregate. */
export type Expectation = { readonly version: number } | 'new';

export interface ExecuteOptions<TCommand, TState> {
  readonly expected: Expectation;
  readonly idempotencyKey?: string | undefined;
  /** The key's namespace; default the acting agency. */
  readonly idempotencyScope?: string;
  /** What a retry must repeat to be the same request; default the commands' types and data as given. */
  readonly request?: unknown;
  /**
   * May the caller act on this aggregate? Throws the auth library's refusal (403), or answers false
   * to say "not found" where existence itself must not be revealed. Runs before anything is decided.
   */
  readonly authorize?: (state: TState) => Promise<boolean | void> | boolean | void;
  /**
   * The time to decide at, where it is not the present of the pipeline's clock: a deadline checker
   * decides at the time of its round.
   */
  readonly now?: Date;
  /** A check made for a new decision, never for a retry (e.g. asking another service): throws to refuse. */
  readonly precheck?: (state: TState) => Promise<void>;
  /**
   * Fills in what the service derives (facts from read models, another aggregate), after
   * authorization; a fact that rules the command out is a domain error like any other.
   */
  readonly complete?: (command: TCommand, state: TState) => Promise<TCommand | DomainError>;
  /**
   * The id was drawn at random for this very command (a create without an Idempotency-Key, see
   * AggregateStore.newId): no stream can exist under it yet, so nothing is loaded, one round trip
   * less. Only heeded with `expected: 'new'` and no key; should the stream exist after all, the
   * append refuses it as for any create that lost a race.
   */
  readonly freshId?: boolean;
}

/**
 * The one path of every command (Emmett's `handle`, Eventuous' command service): expected version,
 * Idempotency-Key replay, load, authorize, decide, append, and a typed result. HTTP routes, NATS
 * handlers and process managers all call this.
 *
 * A retry of an accepted request arrives with the old `If-Match` and its key. It is decided again on
 * the state at that version (and, should a rule of dates refuse it today, at the time the next event
 * was recorded), so it yields the same request; the store answers from its record of the key, or
 * refuses a different request under the same key.
 */
export class CommandPipeline {
  private readonly stores = new Map<AggregateDefinition<never, never, never>, AggregateStore<Message, Message, unknown>>();

  constructor(private readonly dependencies: AggregateStoreDependencies & { readonly clock: Clock }) {}

  get clock(): Clock {
    return this.dependencies.clock;
  }

  /** The aggregate's store (loads, histories, ids), one per aggregate. */
  storeOf<C extends Message, E extends Message, S>(aggregate: AggregateDefinition<C, E, S>): AggregateStore<C, E, S> {
    const key = aggregate as unknown as AggregateDefinition<never, never, never>;
    let store = this.stores.get(key);
    if (store === undefined) {
      store = new AggregateStore(aggregate, this.dependencies) as unknown as AggregateStore<Message, Message, unknown>;
      this.stores.set(key, store);
    }
    return store as unknown as AggregateStore<C, E, S>;
  }

  async execute<C extends Message, E extends Message, S>(
    aggregate: AggregateDefinition<C, E, S>,
    id: string,
    command: C | readonly C[],
    options: ExecuteOptions<C, S>,
  ): Promise<CommandResult<E>> {
    const first = (Array.isArray(command) ? command[0] : command) as Message | undefined;
    return inSpan(
      `command ${aggregate.name}.${first?.type ?? 'none'}`,
      { attributes: { 'haidang.aggregate': aggregate.name, 'haidang.command': first?.type ?? 'none' } },
      async (span) => {
        const result = await this.run(aggregate, id, command, options);
        if (!result.ok) span.setAttribute('haidang.command.refused', result.failure.kind);
        return result;
      },
    );
  }

  private async run<C extends Message, E extends Message, S>(
    aggregate: AggregateDefinition<C, E, S>,
    id: string,
    command: C | readonly C[],
    options: ExecuteOptions<C, S>,
  ): Promise<CommandResult<E>> {
    const store = this.storeOf(aggregate);
    const commands: readonly C[] = Array.isArray(command) ? command : [command as C];
    const isNew = options.expected === 'new';
    const fresh = isNew && options.freshId === true && options.idempotencyKey === undefined;
    const current = fresh ? { state: aggregate.decider.initialState(), version: -1 } : await store.load(id);
    if (!isNew && !aggregate.exists(current.state)) return fail({ kind: 'not-found' });
    if (options.authorize !== undefined && (await options.authorize(current.state)) === false) return fail({ kind: 'not-found' });

    const key = options.idempotencyKey;
    const expected = options.expected === 'new' ? -1 : options.expected.version;
    if (!isNew && (expected > current.version || (expected < current.version && key === undefined))) return fail({ kind: 'version-conflict' });
    // For a new aggregate, a stream that exists already is either this request's retry (the id came from its key) or a clash.
    const replay = isNew ? current.version >= 0 && key !== undefined : expected < current.version;
    if (isNew && current.version >= 0 && key === undefined) return this.decideOnly(aggregate, commands, current.state);
    if (!replay && options.precheck !== undefined) await options.precheck(current.state);

    const seen = replay ? await store.load(id, expected) : current;
    const completed: C[] = [];
    for (const c of commands) {
      const filled = options.complete === undefined ? c : await options.complete(c, seen.state);
      if (isDomainError(filled)) return fail({ kind: 'rejected', error: filled });
      completed.push(filled);
    }
    let events = decideAll(aggregate.decider, completed, seen.state, options.now ?? this.dependencies.clock());
    if (isDomainError(events) && replay) {
      // A rule of dates may refuse today what it allowed then (a due date now past): decide it as it was.
      const then = await store.recordedAt(id, expected + 1);
      if (then !== undefined) events = decideAll(aggregate.decider, completed, seen.state, then);
    }
    if (isDomainError(events)) return replay && !isNew ? fail({ kind: 'version-conflict' }) : fail({ kind: 'rejected', error: events });
    if (events.length === 0) return { ok: true, id, version: seen.version, events };

    const idempotency: IdempotentRequest | undefined =
      key === undefined
        ? undefined
        : {
            key,
            request: options.request ?? commands.map((c) => ({ type: c.type, data: c.data })),
            ...(options.idempotencyScope === undefined ? {} : { scope: options.idempotencyScope }),
          };
    try {
      const personId = aggregate.personOf(id, seen.state) ?? aggregate.personOf(id, aggregate.decider.evolve(seen.state, events[0] as E));
      const version = await store.append(id, personId, events, isNew ? 'no_stream' : BigInt(expected), idempotency);
      return { ok: true, id, version, events };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        if (!isNew) return fail({ kind: 'version-conflict' });
        // Written meanwhile by another request: the aggregate names the clash, else the store's error stands.
        if (aggregate.alreadyExists !== undefined) return fail({ kind: 'rejected', error: aggregate.alreadyExists });
      }
      throw error;
    }
  }

  /** A create that meets an existing stream without a key: the decider names the clash (e.g. already registered). */
  private decideOnly<C extends Message, E extends Message, S>(aggregate: AggregateDefinition<C, E, S>, commands: readonly C[], state: S): CommandResult<E> {
    const events = decideAll(aggregate.decider, commands, state, this.dependencies.clock());
    return isDomainError(events) ? fail({ kind: 'rejected', error: events }) : fail({ kind: 'version-conflict' });
  }
}

const fail = (failure: CommandFailure): { ok: false; failure: CommandFailure } => ({ ok: false, failure });
