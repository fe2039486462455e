export { openServiceStorage, type ServiceStorage, type ServiceStorageOptions } from './service-storage';
export { messagingLoggerFor, natsReadiness, openEventBus, startEventPublishing, type EventPublishingOptions } from './event-transport';
