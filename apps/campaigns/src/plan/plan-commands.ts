import { Inject, Injectable } from '@nestjs/common';
import { jurisdiction, listCommunes } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, deterministicUuid, type CommandResult } from '@haidang/service-kit';
import { campaignsPolicy, type CampaignsAction } from '../campaigns.policy';
import { DISTRICTS_ABOLISHED_ON, type AdoptionFacts, type PlanCommand, type PlanEvent, type PlanState } from './domain';
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

  /**
   * A plan of the caller's province; its id from the agency and its Idempotency-Key. The decider is
   * given the parent plan as recorded and the province's districts on the day the plan was issued.
   */
  async adopt(body: AdoptPlanRequestDto, principal: Principal, idempotencyKey: string | undefined): Promise<CommandResult<PlanEvent>> {
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
        districtName: body.districtName ?? null,
        targets: body.targets.map(targetOf),
      },
      facts: {
        parent: body.parentPlanId ? await this.parentFacts(body.parentPlanId) : null,
        formerDistricts: body.districtName ? formerDistrictsOf(provinceCode, body.issuedOn) : [],
      },
    };
    return this.pipeline.execute(plan, planId, command, { expected: 'new', idempotencyKey, request: { route: 'adopt-plan', body: { ...body } } });
  }

  private async parentFacts(parentPlanId: string): Promise<AdoptionFacts['parent']> {
    const { state } = await this.pipeline.storeOf(plan).load(parentPlanId);
    if (state.status !== 'ADOPTED') return null;
    const { provinceCode, districtName, periodFrom, periodTo } = state.plan;
    return { provinceCode, districtName, periodFrom, periodTo };
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

/**
 * The districts of a province on `issuedOn`, as the unit register names them: the former districts
 * of its communes in force that day. None from 2025-07-01, when the district tier was abolished.
 * A province merged in 2025 also lists the districts of the provinces it absorbed (their communes
 * map into it), a limit of the register, which keeps no codes for the 63 former provinces.
 */
export function formerDistrictsOf(provinceCode: string, issuedOn: string): readonly string[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(issuedOn) || issuedOn >= DISTRICTS_ABOLISHED_ON) return [];
  const communes = listCommunes(provinceCode, new Date(`${issuedOn}T12:00:00+07:00`));
  return [...new Set(communes.map((c) => c.formerDistrictName).filter((name): name is string => name !== undefined))];
}

/** The id a plan recorded under `idempotencyKey` by `agencyCode` gets (demo data and tests find plans by it). */
export const planIdFor = (agencyCode: string, idempotencyKey: string): string => deterministicUuid(plan.idNamespace, agencyCode, idempotencyKey);
