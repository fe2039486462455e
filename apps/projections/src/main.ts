import { runService } from '@haidang/service-kit';
import { service } from './service';

/** `npm run start:projections`: configuration first (a bad one stops here), then the service. */
runService(service);
