export { defineAggregate, type AggregateDefinition, type AggregateOptions } from './aggregate';
export { AggregateStore, type AggregateStoreDependencies, type IdempotentRequest, type Loaded } from './aggregate-store';
export { CommandPipeline, type CommandFailure, type CommandResult, type ExecuteOptions, type Expectation } from './command-pipeline';
export { deterministicUuid } from './deterministic-id';
export {
  answerHttp,
  commandRoutesController,
  conditionsOf,
  httpErrorTable,
  problemOf,
  type ChangeAnswer,
  type CommandRoute,
  type CommandRouteInput,
  type CommandRoutesOptions,
  type HttpErrorTable,
} from './http-adapter';
export { answerRpc, rpcErrorOf } from './rpc-adapter';
export { applyIntegrationEvent, CommandNotAppliedYetError, type IntegrationCommand } from './process-manager-adapter';
export { RequestFingerprint } from './request-fingerprint';
export {
  ConfigurationError,
  defineService,
  runService,
  serviceConfigurationFromEnv,
  type ServiceConfiguration,
  DEFAULT_CALL_TIMEOUT_MS,
  PLATFORM_MIGRATIONS,
  startService,
  type BackgroundContext,
  type BackgroundWork,
  type RunningService,
  type ServiceDefinition,
  type ServiceInfrastructure,
  type ServiceSettings,
} from './service';
export { eachLimited, type DemoContext, type DemoResult } from './demo';
export { DESCRIPTOR_FILE, discoverServices, inCallOrder } from './discovery';
export { IntegrationConsumers, type IntegrationConsumersOptions, type IntegrationSubscription } from './integration-consumers';
export { PageQueryDto, readPage, type Page, type PageSpec, type ReadModelQuery } from './page-query.dto';
