import { describeEventBusContract } from '../contract/describe-event-bus-contract';
import { InProcessEventBus } from './in-process-event-bus';

describeEventBusContract('in-process', async () => {
  const bus = new InProcessEventBus({ stream: 'EVENTS' });
  return {
    bus,
    subjectPrefix: 'evt',
    async subscribeCore(subject, listener) {
      const unsubscribe = bus.subscribe(subject, (s, _data, headers) => listener(s, headers));
      return async () => void unsubscribe();
    },
    cleanup: () => bus.close(),
  };
});
