import type { Type } from '@nestjs/common';
import { DashboardHttpController } from './dashboard.http.controller';

/** What the projections module registers for the dashboard: one controller, no provider (the page calls the API). */
export const DASHBOARD_CONTROLLERS: readonly Type[] = [DashboardHttpController];
