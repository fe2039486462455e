import { commandRoutesController, type CommandRoute } from '@haidang/service-kit';
import { supportModelErrors } from '../campaigns-errors.http';
import { ChangeResponseDto } from '../change.response.dto';
import { SupportModelCommands } from './support-model-commands';
import { DeactivateSupportModelRequestDto, LogSupportModelActivityRequestDto, ReactivateSupportModelRequestDto } from './support-model.dto';

type Route<TBody extends object> = CommandRoute<SupportModelCommands, TBody>;
const route = <TBody extends object>(declaration: Route<TBody>): Route<TBody> => declaration;

export const supportModelRoutes = [
  route({
    path: ':id/deactivation',
    action: 'support-models.manage',
    summary: 'Marks the model inactive from a date',
    body: DeactivateSupportModelRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, 'support-models.manage', conditions, {
        type: 'DeactivateSupportModel',
        data: { deactivatedOn: body.deactivatedOn, reason: body.reason },
      }),
  }),
  route({
    path: ':id/reactivation',
    action: 'support-models.manage',
    summary: 'Marks an inactive model active again from a date',
    body: ReactivateSupportModelRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, 'support-models.manage', conditions, { type: 'ReactivateSupportModel', data: { reactivatedOn: body.reactivatedOn } }),
  }),
  route({
    path: ':id/activity-logs',
    action: 'support-models.log',
    summary: 'Logs what the model did over a period, as counts (meetings, members, persons supported)',
    body: LogSupportModelActivityRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, 'support-models.log', conditions, {
        type: 'LogSupportModelActivity',
        data: { periodFrom: body.periodFrom, periodTo: body.periodTo, meetings: body.meetings, members: body.members, personsSupported: body.personsSupported },
      }),
  }),
];

export const SupportModelStepsHttpController = commandRoutesController({
  name: 'SupportModelStepsHttpController',
  path: 'api/v1/support-models',
  tag: 'support-models',
  service: SupportModelCommands,
  errors: supportModelErrors,
  response: ChangeResponseDto,
  routes: supportModelRoutes,
});
