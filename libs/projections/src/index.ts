export {
  defineProjection,
  projectionEntities,
  projectionKey,
  projectionSchemaName,
  type ProjectionContext,
  type ProjectionDefinition,
  type ProjectionDefinitionInput,
  type ProjectionEntity,
  type ProjectionEventMap,
  type ProjectionHandler,
  type ProjectionHandlers,
} from './projection-definition';
export type { ProjectionWrites, WriteOptions } from './write-buffer';
export { projectionsMigrations } from './migrations/projections.migrations';
export { batches, SharedStoreFeed, StoreSubscriptionSource, type DeliverBatch, type EventSource, type StoreSubscriptionSourceOptions } from './event-source';
export { EventBusSource, type EventBusSourceOptions } from './event-bus-source';
export {
  consoleProjectionLogger,
  ProjectionRunner,
  type ProjectionLogger,
  type ProjectionRunnerOptions,
  type ProjectionRunnerState,
} from './projection-runner';
export { ensureProjectionSchema, readCheckpoint } from './projection-schema';
export {
  activateVersion,
  activeSchema,
  activeVersion,
  dropProjectionVersion,
  ProjectionNotActiveError,
  switchActiveVersion,
  withReadModel,
  type ReadModelOptions,
  type SwitchResult,
} from './projection-versions';
export { rebuildProjection, type RebuildOptions, type RebuildResult, type RetirePolicy } from './rebuild';
export { ProjectionHost, type ProjectionHostOptions, type ProjectionStatus } from './projection-host';
export { createProjectionMetrics, estimateLag, type ProjectionMetrics, type ProjectionMetricsOptions } from './projection-metrics';
export { isTransientError, ProjectionStoppedError } from './errors';
export { benchmarkRebuild, type BenchmarkRebuildOptions, type RebuildFigure } from './benchmark/benchmark-rebuild';
