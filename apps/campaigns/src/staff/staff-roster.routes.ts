import { commandRoutesController, type CommandRoute } from '@haidang/service-kit';
import { staffRosterErrors } from '../campaigns-errors.http';
import { ChangeResponseDto } from '../change.response.dto';
import { ChangeHeadcountRequestDto } from './staff-roster.dto';
import { StaffRosterCommands } from './staff-roster-commands';

type Route<TBody extends object> = CommandRoute<StaffRosterCommands, TBody>;
const route = <TBody extends object>(declaration: Route<TBody>): Route<TBody> => declaration;

export const staffRosterRoutes = [
  route({
    path: ':id/headcounts',
    action: 'staff.manage',
    summary: 'Records a new headcount of the entry, in force from `asOf` (after the last one); the earlier ones stay in the history',
    body: ChangeHeadcountRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, {
        type: 'ChangeHeadcount',
        data: { headcount: body.headcount, asOf: body.asOf, recordedByType: principal.agency.type },
      }),
  }),
];

export const StaffRosterStepsHttpController = commandRoutesController({
  name: 'StaffRosterStepsHttpController',
  path: 'api/v1/staff-rosters',
  tag: 'staff-rosters',
  service: StaffRosterCommands,
  errors: staffRosterErrors,
  response: ChangeResponseDto,
  routes: staffRosterRoutes,
});
