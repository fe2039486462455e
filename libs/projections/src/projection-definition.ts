import type { EventPayload, RecordedEvent } from '@haidang/event-store';
import type { EntityManager, EntitySchema } from 'typeorm';
import type { ProjectionWrites } from './write-buffer';

/** A read-model entity: a decorated class or an EntitySchema, declared WITHOUT a schema (see projection-schema.ts). */
export type ProjectionEntity = (abstract new (...args: never[]) => object) | EntitySchema;

/** Event type → payload, to type the handlers. The default accepts any event. */
export type ProjectionEventMap = { readonly [type: string]: EventPayload };

/** What a handler gets beside the event and the transaction's EntityManager. */
export interface ProjectionContext extends ProjectionWrites {
  readonly projection: ProjectionDefinition;
  /** 1 on the first try of this event; higher when it is retried after a handler error. */
  readonly attempt: number;
}

/**
 * Applies one event to the read model. `em` is bound to the projection's transaction and to its
 * version's schema: everything done through it commits together with the checkpoint, or not at all.
 * A handler must not open its own transaction nor use another connection.
 */
export type ProjectionHandler<TEvent extends RecordedEvent = RecordedEvent> = (
  event: TEvent,
  em: EntityManager,
  ctx: ProjectionContext,
) => Promise<void> | void;

export type ProjectionHandlers<TEvents extends ProjectionEventMap> = {
  readonly [K in keyof TEvents & string]?: ProjectionHandler<RecordedEvent<K, TEvents[K]>>;
};

export interface ProjectionDefinitionInput<TEvents extends ProjectionEventMap> {
  /** Lower-case identifier, `[a-z][a-z0-9_]*`, at most 40 characters: it becomes part of a schema name. */
  readonly name: string;
  /** Bump it whenever the handlers or the entities change in a way that needs a rebuild. */
  readonly version: number;
  readonly entities: readonly ProjectionEntity[];
  /** Events of types without a handler only advance the checkpoint. */
  readonly handlers: ProjectionHandlers<TEvents>;
}

export interface ProjectionDefinition {
  readonly name: string;
  readonly version: number;
  /** `name.vN`: the checkpoint and dead-letter key. */
  readonly key: string;
  /** `proj_<name>_v<N>`: the PostgreSQL schema holding this version's tables. */
  readonly schema: string;
  readonly entities: readonly ProjectionEntity[];
  handlerFor(eventType: string): ProjectionHandler | undefined;
}

const NAME = /^[a-z][a-z0-9_]{0,39}$/;
const MAX_VERSION = 999_999;

export function projectionKey(name: string, version: number): string {
  return `${name}.v${version}`;
}

export function projectionSchemaName(name: string, version: number): string {
  return `proj_${name}_v${version}`;
}

export function defineProjection<TEvents extends ProjectionEventMap = ProjectionEventMap>(input: ProjectionDefinitionInput<TEvents>): ProjectionDefinition {
  if (!NAME.test(input.name)) {
    throw new Error(`Projection name must match ${NAME} (it becomes part of a schema name): ${JSON.stringify(input.name)}`);
  }
  if (!Number.isInteger(input.version) || input.version < 1 || input.version > MAX_VERSION) {
    throw new Error(`Projection ${input.name}: version must be an integer from 1 to ${MAX_VERSION}, got ${input.version}`);
  }
  if (input.entities.length === 0) throw new Error(`Projection ${input.name}: at least one entity is needed`);
  const handlers = new Map<string, ProjectionHandler>();
  for (const [type, handler] of Object.entries(input.handlers)) {
    if (typeof handler !== 'function') throw new Error(`Projection ${input.name}: handler for ${type} is not a function`);
    // The typed handler accepts a narrower event; the runner only calls it for events of its own type.
    handlers.set(type, handler as ProjectionHandler);
  }
  return Object.freeze({
    name: input.name,
    version: input.version,
    key: projectionKey(input.name, input.version),
    schema: projectionSchemaName(input.name, input.version),
    entities: Object.freeze([...input.entities]),
    handlerFor: (eventType: string) => handlers.get(eventType),
  });
}

/** Every entity of these projections, to list in the application's DataSource `entities`. */
export function projectionEntities(definitions: readonly ProjectionDefinition[]): ProjectionEntity[] {
  return [...new Set(definitions.flatMap((d) => d.entities))];
}
