import { runServiceProcess } from '@haidang/service-runtime';
import { casesConfigFromEnv } from './config';
import { startCasesService } from './cases-service';

/** `npm run start:cases`: configuration first (a bad one stops here), then the service. */
runServiceProcess('cases', casesConfigFromEnv, (config, { databaseUrl, bus }) => startCasesService({ databaseUrl, port: config.port, bus }));
