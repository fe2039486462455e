import { commandRoutesController, type CommandRoute } from '@haidang/service-kit';
import { activityErrors } from '../campaigns-errors.http';
import { CloseActivityRequestDto } from './close-activity/close-activity.request.dto';
import { ActivityChangeResponseDto } from './activity-change.response.dto';
import { ActivityCommands } from './activity-commands';

type Route<TBody extends object> = CommandRoute<ActivityCommands, TBody>;
const route = <TBody extends object>(declaration: Route<TBody>): Route<TBody> => declaration;

/**
 * The steps of a registered activity, each a declaration: path, policy action, body, and the
 * command it makes. Fields are copied one by one, so nothing the DTO did not validate reaches the
 * decider. A new step is one more entry here, a request DTO and a case in the decider.
 */
export const activityRoutes = [
  route({
    path: ':id/closure',
    action: 'activities.manage',
    summary: 'Closes the activity with its outcome',
    body: CloseActivityRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'CloseActivity', data: { closedOn: body.closedOn, outcome: body.outcome } }),
  }),
];

export const ActivityStepsHttpController = commandRoutesController({
  name: 'ActivityStepsHttpController',
  path: 'api/v1/activities',
  tag: 'activities',
  service: ActivityCommands,
  errors: activityErrors,
  response: ActivityChangeResponseDto,
  routes: activityRoutes,
});
