import { commandRoutesController, type CommandRoute } from '@haidang/service-kit';
import { employmentRecordErrors } from '../employment-errors.http';
import { CloseEmploymentRecordRequestDto } from './close-employment-record/close-employment-record.request.dto';
import { EmploymentRecordChangeResponseDto } from './employment-record-change.response.dto';
import { EmploymentRecordCommands } from './employment-record-commands';

type Route<TBody extends object> = CommandRoute<EmploymentRecordCommands, TBody>;
const route = <TBody extends object>(declaration: Route<TBody>): Route<TBody> => declaration;

/**
 * The steps of a registered employment record, each a declaration: path, policy action, body, and the
 * command it makes. Fields are copied one by one, so nothing the DTO did not validate reaches the
 * decider. A new step is one more entry here, a request DTO and a case in the decider.
 */
export const employmentRecordRoutes = [
  route({
    path: ':id/closure',
    action: 'employment-records.manage',
    summary: 'Closes the employment record with its outcome',
    body: CloseEmploymentRecordRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, { type: 'CloseEmploymentRecord', data: { closedOn: body.closedOn, outcome: body.outcome } }),
  }),
];

export const EmploymentRecordStepsHttpController = commandRoutesController({
  name: 'EmploymentRecordStepsHttpController',
  path: 'api/v1/employment-records',
  tag: 'employment-records',
  service: EmploymentRecordCommands,
  errors: employmentRecordErrors,
  response: EmploymentRecordChangeResponseDto,
  routes: employmentRecordRoutes,
});
