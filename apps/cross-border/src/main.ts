import { runService } from '@haidang/service-kit';
import { service } from './service';

/** `npm run start:cross-border`: configuration first (a bad one stops here), then the service. */
runService(service);
