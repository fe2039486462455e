export { openServiceStorage, type ServiceStorage, type ServiceStorageOptions } from './service-storage';
export { messagingLoggerFor, natsReadiness, openEventBus, startEventPublishing, type EventPublishingOptions } from './event-transport';
export { runServiceProcess, type ServiceProcessContext } from './run-service-process';
export { messagingReadiness, type MessagingParts, type MessagingReadiness, type RpcServerStatus } from './messaging-readiness';
