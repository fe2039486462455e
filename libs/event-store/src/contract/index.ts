export { describeEventStoreContract, type EventStoreContractFactory } from './describe-event-store-contract';
