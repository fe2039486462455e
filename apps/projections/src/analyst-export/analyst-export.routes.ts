import { commandRoutesController, type CommandRoute } from '@haidang/service-kit';
import { analystExportErrors } from '../projections-errors.http';
import { CloseAnalystExportRequestDto } from './close-analyst-export/close-analyst-export.request.dto';
import { AnalystExportChangeResponseDto } from './analyst-export-change.response.dto';
import { AnalystExportCommands } from './analyst-export-commands';

type Route<TBody extends object> = CommandRoute<AnalystExportCommands, TBody>;
const route = <TBody extends object>(declaration: Route<TBody>): Route<TBody> => declaration;

/**
 * The steps of a registered analyst export, each a declaration: path, policy action, body, and the
 * command it makes. Fields are copied one by one, so nothing the DTO did not validate reaches the
 * decider. A new step is one more entry here, a request DTO and a case in the decider.
 */
export const analystExportRoutes = [
  route({
    path: ':id/closure',
    action: 'exports.manage',
    summary: 'Closes the analyst export with its outcome',
    body: CloseAnalystExportRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'CloseAnalystExport', data: { closedOn: body.closedOn, outcome: body.outcome } }),
  }),
];

export const AnalystExportStepsHttpController = commandRoutesController({
  name: 'AnalystExportStepsHttpController',
  path: 'api/v1/exports',
  tag: 'exports',
  service: AnalystExportCommands,
  errors: analystExportErrors,
  response: AnalystExportChangeResponseDto,
  routes: analystExportRoutes,
});
