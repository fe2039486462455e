import { commandRoutesController, type CommandRoute } from '@haidang/service-kit';
import { cooperationRecordErrors } from '../cross-border-errors.http';
import { CloseCooperationRecordRequestDto } from './close-cooperation-record/close-cooperation-record.request.dto';
import { CooperationRecordChangeResponseDto } from './cooperation-record-change.response.dto';
import { CooperationRecordCommands } from './cooperation-record-commands';

type Route<TBody extends object> = CommandRoute<CooperationRecordCommands, TBody>;
const route = <TBody extends object>(declaration: Route<TBody>): Route<TBody> => declaration;

/**
 * The steps of a registered cooperation record, each a declaration: path, policy action, body, and the
 * command it makes. Fields are copied one by one, so nothing the DTO did not validate reaches the
 * decider. A new step is one more entry here, a request DTO and a case in the decider.
 */
export const cooperationRecordRoutes = [
  route({
    path: ':id/closure',
    action: 'records.manage',
    summary: 'Closes the cooperation record with its outcome',
    body: CloseCooperationRecordRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'CloseCooperationRecord', data: { closedOn: body.closedOn, outcome: body.outcome } }),
  }),
];

export const CooperationRecordStepsHttpController = commandRoutesController({
  name: 'CooperationRecordStepsHttpController',
  path: 'api/v1/records',
  tag: 'records',
  service: CooperationRecordCommands,
  errors: cooperationRecordErrors,
  response: CooperationRecordChangeResponseDto,
  routes: cooperationRecordRoutes,
});
