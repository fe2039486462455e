/**
 * The one shape of every aggregate's domain (Emmett's decider): plain data in, plain data out.
 * `decide(command, state, now)` returns the events a command yields or a named domain error;
 * `evolve(state, event)` folds an event into the state. Time is an argument, never read inside.
 * No framework, engine or HTTP here: a domain error has a code and plain words, and each service
 * maps codes to statuses in one table of its own.
 */

/** A command or an event: a type tag and plain data. */
export interface Message<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

/** A rule of the domain the command broke: a stable code and a plain-words message (no personal data). */
export interface DomainError<TCode extends string = string> {
  readonly kind: 'DomainError';
  readonly code: TCode;
  readonly message: string;
}

export type Decision<TEvent> = readonly TEvent[] | DomainError;

export interface Decider<TCommand extends Message, TEvent extends Message, TState> {
  initialState(): TState;
  decide(command: TCommand, state: TState, now: Date): Decision<TEvent>;
  evolve(state: TState, event: TEvent): TState;
}

/** Where the present moment comes from: injected, so deciders and tests control it. */
export type Clock = () => Date;

export function isDomainError(value: unknown): value is DomainError {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'DomainError';
}

/**
 * A named-error table turned into a constructor: `domainErrors({ 'case-closed': 'the case is closed' })`
 * gives `(code, detail?) => DomainError`, so every error of an aggregate comes from one list.
 */
export function domainErrors<TCode extends string>(messages: Readonly<Record<TCode, string>>): (code: TCode, detail?: string) => DomainError<TCode> {
  return (code, detail) => {
    const base = messages[code];
    return { kind: 'DomainError', code, message: detail ? `${base} (${detail})` : base };
  };
}

/** Folds events into a state, from the decider's initial state unless another is given. */
export function fold<TEvent extends Message, TState>(
  decider: Pick<Decider<Message, TEvent, TState>, 'initialState' | 'evolve'>,
  events: readonly TEvent[],
  from?: TState,
): TState {
  return events.reduce((state, event) => decider.evolve(state, event), from ?? decider.initialState());
}

/**
 * Decides several commands in a row, each on the state the previous ones left (e.g. register a case
 * and decide its form in one append). The first error stops it.
 */
export function decideAll<TCommand extends Message, TEvent extends Message, TState>(
  decider: Decider<TCommand, TEvent, TState>,
  commands: readonly TCommand[],
  state: TState,
  now: Date,
): Decision<TEvent> {
  const events: TEvent[] = [];
  let current = state;
  for (const command of commands) {
    const decided = decider.decide(command, current, now);
    if (isDomainError(decided)) return decided;
    events.push(...decided);
    current = fold(decider, decided, current);
  }
  return events;
}
