export {
  DEFAULT_SUBJECT_PREFIX,
  InvalidSubjectError,
  aggregateOfStream,
  buildEventSubject,
  isValidSubjectToken,
  parseEventSubject,
  serviceSubjectFilter,
  subjectForEvent,
  subjectMatches,
  type EventSubjectParts,
  type SubjectOptions,
} from './subjects';
export { EventDecodeError, EventHeaders, decodeEvent, encodeEvent, eventHeaders, isSafeHeaderValue } from './event-codec';
export { messagingMigrations } from './migrations';
export { consoleLogger, silentLogger, type MessagingLogger } from './logger';
export {
  DEFAULT_BACKOFF_MS,
  DEFAULT_MAX_DELIVER,
  type DeliveryInfo,
  type DurableConsumer,
  type DurableConsumerOptions,
  type EventBus,
  type EventHandler,
  type EventPublisher,
  type OutgoingMessage,
  type PublishAck,
  type StoredMessage,
  type StreamState,
} from './bus/event-bus';
export { UnprocessableMessageError } from './bus/process-delivery';
export { InMemoryDeadLetters, PostgresDeadLetters, type DeadLetter, type DeadLetterSink } from './dead-letters';
export {
  DEFAULT_DUPLICATE_WINDOW_MS,
  DEFAULT_EVENT_STREAM,
  ensureEventStream,
  recreateEventStreamIfMissing,
  type EventStreamOptions,
} from './jetstream/ensure-event-stream';
export { JetStreamPublisher, PublishError, type JetStreamPublisherOptions } from './jetstream/jetstream-publisher';
export { consumeDurable, ensureDurableConsumer, type ConsumeDurableOptions } from './jetstream/consume-durable';
export { JetStreamEventBus, type JetStreamEventBusOptions } from './jetstream/jetstream-event-bus';
export { InProcessEventBus, type CoreListener, type InProcessEventBusOptions } from './in-process/in-process-event-bus';
export { EventRelay, type EventRelayOptions, type RelayBatch, type RelayEventSource, type RelayHooks, type RelayStatus } from './relay/event-relay';
export { RELAY_LOCK_CLASS, type RelayCheckpoint } from './relay/relay-lock';
export {
  RpcHeaders,
  RpcReply,
  contextHeaders,
  messageContextFromRequest,
  correlatedReply,
  readMessageContext,
  withMessageContext,
  type MessageContext,
} from './rpc/message-context';
export {
  RemoteDomainError,
  RemoteErrorFilter,
  RemoteServiceError,
  ServiceUnavailableError,
  defaultRemoteErrorMapper,
  isRemoteErrorBody,
  toRemoteErrorBody,
  type RemoteErrorBody,
  type RemoteErrorMapper,
  type UnavailableReason,
} from './rpc/rpc-errors';
export { NATS_RECONNECT_FOREVER, NatsReplyDeserializer, NatsReplySerializer, natsClientOptions, natsServerOptions } from './rpc/nats-options';
export { ServiceClient, type ServiceClientOptions, type ServiceReply } from './rpc/service-client';
export { InProcessRpcBroker, InProcessRpcClient, InProcessRpcServer } from './rpc/in-process-transport';
export {
  DEFAULT_INTEGRATION_PREFIX,
  integrationEventType,
  integrationPrefixFor,
  integrationSubject,
  integrationSubjectFilter,
  integrationSubjectsFor,
  parseIntegrationEventType,
  type IntegrationEventName,
} from './outbox/integration-subjects';
export { OutboxMessageError, writeOutboxMessage, type OutboxMessage, type OutboxQueryable, type OutboxWriteResult } from './outbox/write-outbox-message';
export { OUTBOX_LOCK_CLASS } from './outbox/outbox-lock';
export { type OutboxBacklog } from './outbox/outbox-metrics';
export { OutboxPublisher, type OutboxBatch, type OutboxHooks, type OutboxPublisherOptions, type OutboxPublisherStatus } from './outbox/outbox-publisher';
export { benchmarkRelay, type RelayBenchmarkOptions, type RelayBenchmarkResult } from './relay/benchmark-relay';
export { AdvisoryLockSession } from './leadership/advisory-lock-session';
export { LeaderLoop, type Leadership, type LeaderLoopMessages, type LeaderLoopOptions, type LeaderStatus } from './leadership/leader-loop';
