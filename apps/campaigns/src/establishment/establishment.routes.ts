import { commandRoutesController, type CommandRoute } from '@haidang/service-kit';
import { establishmentErrors } from '../campaigns-errors.http';
import { ChangeResponseDto } from '../change.response.dto';
import { EstablishmentCommands } from './establishment-commands';
import { CloseEstablishmentRequestDto } from './establishment.dto';

type Route<TBody extends object> = CommandRoute<EstablishmentCommands, TBody>;
const route = <TBody extends object>(declaration: Route<TBody>): Route<TBody> => declaration;

export const establishmentRoutes = [
  route({
    path: ':id/closure',
    action: 'establishments.manage',
    summary: 'Records that a zone or school closed: it leaves the denominators from that day',
    body: CloseEstablishmentRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'CloseEstablishment', data: { closedOn: body.closedOn } }),
  }),
];

export const EstablishmentStepsHttpController = commandRoutesController({
  name: 'EstablishmentStepsHttpController',
  path: 'api/v1/establishments',
  tag: 'establishments',
  service: EstablishmentCommands,
  errors: establishmentErrors,
  response: ChangeResponseDto,
  routes: establishmentRoutes,
});
