import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule, authConfigFromEnv } from '@haidang/auth';
import { CommandPipeline, type ServiceInfrastructure } from '@haidang/service-kit';
import { AnalystExportCommands } from './analyst-export/analyst-export-commands';
import { analystExport, ANALYST_EXPORT_STORE } from './analyst-export/analyst-export.aggregate';
import { AnalystExportStepsHttpController } from './analyst-export/analyst-export.routes';
import { GetAnalystExportHttpController } from './analyst-export/get-analyst-export/get-analyst-export.http.controller';
import { RegisterAnalystExportHandler } from './analyst-export/register-analyst-export/register-analyst-export.handler';
import { RegisterAnalystExportHttpController } from './analyst-export/register-analyst-export/register-analyst-export.http.controller';
import { projectionsPolicy } from './projections.policy';
import { ListExportsHttpController } from './projections/exports/list-exports.http.controller';
import { READ_MODEL } from './tokens';

/**
 * The projections service's wiring: the only place that sees the write side, the read side and the
 * infrastructure at once. Every route names an action of the policy; the global guards refuse the rest.
 */
@Module({})
export class ProjectionsModule {
  static forRoot(infrastructure: ServiceInfrastructure): DynamicModule {
    const { readModel, pipeline } = infrastructure;
    return {
      module: ProjectionsModule,
      imports: [AuthModule.forRoot({ verifier: authConfigFromEnv(), policy: projectionsPolicy })],
      controllers: [RegisterAnalystExportHttpController, AnalystExportStepsHttpController, GetAnalystExportHttpController, ListExportsHttpController],
      providers: [
        { provide: READ_MODEL, useValue: readModel },
        { provide: CommandPipeline, useValue: pipeline },
        { provide: ANALYST_EXPORT_STORE, useValue: pipeline.storeOf(analystExport) },
        RegisterAnalystExportHandler,
        AnalystExportCommands,
      ],
    };
  }
}
