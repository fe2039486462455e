import type { Decider, DomainError, Message } from '@haidang/decider';

/**
 * An aggregate as a definition, not a class trio: its name (streams are `<name>-<id>`), its decider,
 * the schema version of each event type, the fields of each event that hold personal or health data
 * (encrypted with the person's key before they reach the log, so erasing the person shreds them),
 * and how to tell from a state whether the aggregate exists and whose person it concerns.
 */
export interface AggregateDefinition<TCommand extends Message, TEvent extends Message, TState> {
  readonly name: string;
  readonly decider: Decider<TCommand, TEvent, TState>;
  readonly schemaVersions: Readonly<Record<TEvent['type'], number>>;
  /** Per event type, the data fields to encrypt with the key of `personOf`. */
  readonly personalFields: Readonly<Partial<Record<TEvent['type'], readonly string[]>>>;
  /** False for the state of a stream that does not exist (or holds nothing of this aggregate yet). */
  exists(state: TState): boolean;
  /** Whose key encrypts the personal fields: the person the aggregate is about (null: none yet). */
  personOf(id: string, state: TState): string | null;
  streamOf(id: string): string;
  /** The answer when a new aggregate's stream was written meanwhile by another request (default: the store's conflict). */
  readonly alreadyExists?: DomainError;
  /** The namespace of ids derived from Idempotency-Keys (`deterministicUuid`). */
  readonly idNamespace: string;
}

export interface AggregateOptions<TCommand extends Message, TEvent extends Message, TState> {
  readonly service: string;
  readonly name: string;
  readonly decider: Decider<TCommand, TEvent, TState>;
  readonly schemaVersions: Readonly<Record<TEvent['type'], number>>;
  readonly personalFields?: Readonly<Partial<Record<TEvent['type'], readonly string[]>>>;
  readonly exists: (state: TState) => boolean;
  readonly personOf?: (id: string, state: TState) => string | null;
  readonly alreadyExists?: DomainError;
}

export function defineAggregate<TCommand extends Message, TEvent extends Message, TState>(
  options: AggregateOptions<TCommand, TEvent, TState>,
): AggregateDefinition<TCommand, TEvent, TState> {
  return {
    name: options.name,
    decider: options.decider,
    schemaVersions: options.schemaVersions,
    personalFields: options.personalFields ?? ({} as Readonly<Partial<Record<TEvent['type'], readonly string[]>>>),
    exists: options.exists,
    personOf: options.personOf ?? (() => null),
    streamOf: (id) => `${options.name}-${id}`,
    ...(options.alreadyExists === undefined ? {} : { alreadyExists: options.alreadyExists }),
    idNamespace: `haidang:${options.service}:${kebab(options.name)}:v1`,
  };
}

const kebab = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
