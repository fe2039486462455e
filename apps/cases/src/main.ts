import { runService } from '@haidang/service-kit';
import { service } from './service';

/** `npm run start:cases`: configuration first (a bad one stops here), then the service. */
runService(service);
