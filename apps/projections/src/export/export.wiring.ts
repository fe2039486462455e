import type { Type } from '@nestjs/common';
import { IndicatorExportHttpController } from './indicator-export.http.controller';

/**
 * What the projections module registers for the exports: the controller only. Its reader, event
 * store and clock are the module's (INDICATOR_READER, EVENT_STORE, CLOCK). Registered before the
 * indicators controller, so that `export.csv` is never read as an indicator code.
 */
export const EXPORT_CONTROLLERS: readonly Type[] = [IndicatorExportHttpController];
