import { Inject, Injectable } from '@nestjs/common';
import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, deterministicUuid, type CommandResult } from '@haidang/service-kit';
import { campaignsPolicy, type CampaignsAction } from '../campaigns.policy';
import type { PlanCommand, PlanEvent, PlanState } from './domain';
import { plan } from './plan.aggregate';
import { targetOf, type AdoptPlanRequestDto } from './plan.dto';

/** Throws 403 unless the caller may do `action` on a plan of `provinceCode` (its agency's province). */
export function assertPlanInScope(principal: Principal, action: CampaignsAction, provinceCode: string | null): void {
  campaignsPolicy.assertInScope(principal, action, { unitCodes: provinceCode === null ? [] : [provinceCode] }, jurisdiction);
}

const provinceOfState = (state: PlanState): string | null => (state.status === 'ADOPTED' ? state.plan.provinceCode : null);

/** Every command on a plan, through the kit's one pipeline, with the plan's province as its scope. */
@Injectable()
export class PlanCommands {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  /** A plan of the caller's province; its id from the agency and its Idempotency-Key. */
  adopt(body: AdoptPlanRequestDto, principal: Principal, idempotencyKey: string | undefined): Promise<CommandResult<PlanEvent>> {
    const provinceCode = principal.agency.province;
    assertPlanInScope(principal, 'plans.adopt', provinceCode);
    const planId = this.pipeline.storeOf(plan).newId(principal.agency.code, idempotencyKey);
    const command: PlanCommand = {
      type: 'AdoptPlan',
      data: {
        planId,
        provinceCode,
        issuedBy: body.issuedBy,
        number: body.number,
        issuedOn: body.issuedOn,
        title: body.title,
        leadAgency: body.leadAgency,
        periodFrom: body.periodFrom,
        periodTo: body.periodTo,
        parentPlanId: body.parentPlanId ?? null,
        targets: body.targets.map(targetOf),
      },
    };
    return this.pipeline.execute(plan, planId, command, { expected: 'new', idempotencyKey, request: { route: 'adopt-plan', body: { ...body } } });
  }

  execute(
    id: string,
    principal: Principal,
    conditions: { readonly expected: { readonly version: number }; readonly idempotencyKey: string | undefined },
    command: PlanCommand,
  ): Promise<CommandResult<PlanEvent>> {
    return this.pipeline.execute(plan, id, command, {
      ...conditions,
      authorize: (state) => assertPlanInScope(principal, 'plans.amend', provinceOfState(state)),
    });
  }
}

/** The id a plan recorded under `idempotencyKey` by `agencyCode` gets (demo data and tests find plans by it). */
export const planIdFor = (agencyCode: string, idempotencyKey: string): string => deterministicUuid(plan.idNamespace, agencyCode, idempotencyKey);
