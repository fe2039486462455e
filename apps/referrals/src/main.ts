import { runServiceProcess } from '@haidang/service-runtime';
import { referralsConfigFromEnv } from './config';
import { startReferralsService } from './referrals-service';

/** `npm run start:referrals`: configuration first (a bad one stops here), then the service. */
runServiceProcess('referrals', referralsConfigFromEnv, (config, { databaseUrl, bus }) =>
  startReferralsService({ databaseUrl, port: config.port, bus, overdueCheckIntervalMs: config.overdueCheckIntervalMs }),
);
