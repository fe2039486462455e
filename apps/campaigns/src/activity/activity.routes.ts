import { commandRoutesController, type CommandRoute } from '@haidang/service-kit';
import { activityErrors } from '../campaigns-errors.http';
import { ChangeResponseDto } from '../change.response.dto';
import { ActivityCommands } from './activity-commands';
import { WithdrawActivityRequestDto } from './activity.dto';

type Route<TBody extends object> = CommandRoute<ActivityCommands, TBody>;
const route = <TBody extends object>(declaration: Route<TBody>): Route<TBody> => declaration;

export const activityRoutes = [
  route({
    path: ':id/withdrawal',
    action: 'activities.manage',
    summary: 'Withdraws an activity recorded in error: it stays in the log and no longer counts toward any target',
    body: WithdrawActivityRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'WithdrawActivity', data: { withdrawnOn: body.withdrawnOn, reason: body.reason } }),
  }),
];

export const ActivityStepsHttpController = commandRoutesController({
  name: 'ActivityStepsHttpController',
  path: 'api/v1/activities',
  tag: 'activities',
  service: ActivityCommands,
  errors: activityErrors,
  response: ChangeResponseDto,
  routes: activityRoutes,
});
