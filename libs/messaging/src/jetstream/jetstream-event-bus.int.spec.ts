import { connect } from '@nats-io/transport-node';
import { createTestJetStream } from '@haidang/testing';
import { describeEventBusContract } from '../contract/describe-event-bus-contract';
import { JetStreamEventBus } from './jetstream-event-bus';

describeEventBusContract('JetStream', async () => {
  const jetStream = await createTestJetStream();
  const bus = new JetStreamEventBus({ servers: jetStream.url, stream: jetStream.streamName });
  return {
    bus,
    subjectPrefix: jetStream.subjectPrefix,
    async subscribeCore(subject, listener) {
      const nc = await connect({ servers: jetStream.url });
      nc.subscribe(subject, {
        callback: (_error, msg) => {
          const headers: Record<string, string> = {};
          for (const key of msg.headers?.keys() ?? []) headers[key] = msg.headers?.get(key) ?? '';
          listener(msg.subject, headers);
        },
      });
      await nc.flush();
      return () => nc.close();
    },
    async cleanup() {
      await bus.close();
      await jetStream.cleanup();
    },
  };
});
