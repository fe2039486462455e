import { Module, type DynamicModule } from '@nestjs/common';
import type { IntegrityService } from '../integrity-service';
import { INTEGRITY_SERVICE, IntegrityController } from './integrity.controller';

/** `GET /api/v1/integrity` and the on-demand checkpoint, for one service's IntegrityService. */
@Module({})
export class IntegrityModule {
  static forService(integrity: IntegrityService): DynamicModule {
    return { module: IntegrityModule, controllers: [IntegrityController], providers: [{ provide: INTEGRITY_SERVICE, useValue: integrity }] };
  }
}
