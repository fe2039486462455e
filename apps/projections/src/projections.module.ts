import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule, authConfigFromEnv } from '@haidang/auth';
import type { ServiceInfrastructure } from '@haidang/service-kit';
import { InsightsStore } from './inbox/insights-store';
import { DASHBOARD_CONTROLLERS } from './dashboard/dashboard.wiring';
import { EXPORT_CONTROLLERS } from './export/export.wiring';
import { INDICATOR_READER } from './indicators/indicator-reader.port';
import { IndicatorsHttpController } from './indicators/indicators.http.controller';
import { InsightsIndicatorReader } from './indicators/insights-indicator-reader';
import { DEFAULT_SUPPRESSION_THRESHOLD } from './indicators/suppression';
import { projectionsPolicy } from './projections.policy';
import { CLOCK, EVENT_STORE, INSIGHTS_STORE, READ_MODEL } from './tokens';
import { WorklistQueries } from './worklists/worklist-queries';
import { WorklistsHttpController } from './worklists/worklists.http.controller';

/** The small-number threshold the service was configured with (SMALL_NUMBER_THRESHOLD), else 5. */
export function suppressionThresholdOf(infrastructure: ServiceInfrastructure): number {
  const configured = infrastructure.settings.extra?.['suppressionThreshold'];
  return typeof configured === 'number' ? configured : DEFAULT_SUPPRESSION_THRESHOLD;
}

/**
 * The projections service's wiring. It exports the IndicatorReader (token INDICATOR_READER), the
 * event store (for access records) and the clock, so that the exports and the dashboard read the
 * same cells as the API.
 */
@Module({})
export class ProjectionsModule {
  static forRoot(infrastructure: ServiceInfrastructure): DynamicModule {
    const insights = new InsightsStore(infrastructure.pool);
    return {
      module: ProjectionsModule,
      imports: [AuthModule.forRoot({ verifier: authConfigFromEnv(), policy: projectionsPolicy, clock: infrastructure.clock })],
      controllers: [...EXPORT_CONTROLLERS, IndicatorsHttpController, WorklistsHttpController, ...DASHBOARD_CONTROLLERS],
      providers: [
        { provide: READ_MODEL, useValue: infrastructure.readModel },
        { provide: EVENT_STORE, useValue: infrastructure.store },
        { provide: CLOCK, useValue: infrastructure.clock },
        { provide: INSIGHTS_STORE, useValue: insights },
        { provide: INDICATOR_READER, useValue: new InsightsIndicatorReader(insights, suppressionThresholdOf(infrastructure)) },
        { provide: WorklistQueries, useValue: new WorklistQueries(infrastructure.pool) },
      ],
      exports: [INDICATOR_READER, EVENT_STORE, CLOCK, INSIGHTS_STORE],
    };
  }
}
