import { Module, type DynamicModule } from '@nestjs/common';
import { BREAK_GLASS_DEPENDENCIES, BreakGlassController, type BreakGlassDependencies } from './break-glass.controller';

/** The break-glass routes for one service's log. */
@Module({})
export class BreakGlassModule {
  static forService(dependencies: BreakGlassDependencies): DynamicModule {
    return { module: BreakGlassModule, controllers: [BreakGlassController], providers: [{ provide: BREAK_GLASS_DEPENDENCIES, useValue: dependencies }] };
  }
}
