import { commandRoutesController, type CommandRoute } from '@haidang/service-kit';
import { planErrors } from '../campaigns-errors.http';
import { ChangeResponseDto } from '../change.response.dto';
import { PlanCommands } from './plan-commands';
import { AmendPlanRequestDto, targetOf } from './plan.dto';

type Route<TBody extends object> = CommandRoute<PlanCommands, TBody>;
const route = <TBody extends object>(declaration: Route<TBody>): Route<TBody> => declaration;

/** Changes to a recorded plan, as declarations. */
export const planRoutes = [
  route({
    path: ':id/amendments',
    action: 'plans.amend',
    summary: 'Amends the targets from a date (a new version; the earlier ones stay in the history)',
    body: AmendPlanRequestDto,
    run: (commands, { id, body, principal, ...conditions }) =>
      commands.execute(id, principal, conditions, {
        type: 'AmendPlan',
        data: { number: body.number, issuedOn: body.issuedOn, effectiveFrom: body.effectiveFrom, targets: body.targets.map(targetOf) },
      }),
  }),
];

export const PlanStepsHttpController = commandRoutesController({
  name: 'PlanStepsHttpController',
  path: 'api/v1/plans',
  tag: 'plans',
  service: PlanCommands,
  errors: planErrors,
  response: ChangeResponseDto,
  routes: planRoutes,
});
