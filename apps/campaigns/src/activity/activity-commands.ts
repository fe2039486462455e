import { Inject, Injectable } from '@nestjs/common';
import { jurisdiction, provinceOf } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, deterministicUuid, type CommandResult } from '@haidang/service-kit';
import { OTHER_PROVINCE, UNKNOWN_COMMUNE } from '../campaigns-errors.http';
import { campaignsPolicy, type CampaignsAction } from '../campaigns.policy';
import { establishment } from '../establishment/establishment.aggregate';
import { plan } from '../plan/plan.aggregate';
import type { ActivityCommand, ActivityEvent, ActivityState } from './domain';
import { activity } from './activity.aggregate';
import type { RecordActivityRequestDto } from './activity.dto';

/** An activity's units: its communes, or its province for a mass-media one. */
export const unitsOfActivity = (communeCodes: readonly string[], provinceCode: string): string[] =>
  communeCodes.length > 0 ? [...communeCodes] : [provinceCode];

/**
 * Throws 403 unless the caller may do `action` on an activity in these units. `every`: to record,
 * each commune must be the caller's (a commune records only its own); to read, one suffices.
 */
export function assertActivityInScope(principal: Principal, action: CampaignsAction, units: readonly string[], every = false): void {
  if (every && units.length > 0) for (const unit of units) campaignsPolicy.assertInScope(principal, action, { unitCodes: [unit] }, jurisdiction);
  else campaignsPolicy.assertInScope(principal, action, { unitCodes: units }, jurisdiction);
}

const unitsOfState = (state: ActivityState): string[] =>
  state.status === 'NONE' ? [] : unitsOfActivity(state.activity.communeCodes, state.activity.provinceCode);

/** Every command on an activity, through the kit's one pipeline, scoped by the activity's communes. */
@Injectable()
export class ActivityCommands {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  async record(body: RecordActivityRequestDto, principal: Principal, idempotencyKey: string | undefined): Promise<CommandResult<ActivityEvent>> {
    const provinces = new Set<string>();
    for (const code of body.communeCodes) {
      const province = provinceOf(code);
      if (province === undefined) return { ok: false, failure: { kind: 'rejected', error: UNKNOWN_COMMUNE } };
      provinces.add(province);
    }
    if (provinces.size > 1) return { ok: false, failure: { kind: 'rejected', error: OTHER_PROVINCE } };
    const provinceCode = [...provinces][0] ?? principal.agency.province;
    assertActivityInScope(principal, 'activities.record', unitsOfActivity(body.communeCodes, provinceCode), true);
    const activityId = this.pipeline.storeOf(activity).newId(principal.agency.code, idempotencyKey);
    const planId = body.planId ?? null;
    const command: ActivityCommand = {
      type: 'RecordActivity',
      data: {
        activityId,
        provinceCode,
        communeCodes: [...body.communeCodes],
        organiser: principal.agency.code,
        heldOn: body.heldOn,
        form: body.form,
        venueType: body.venueType,
        audienceType: body.audienceType,
        audienceCount: body.audienceCount,
        campaignMonth: body.campaignMonth ?? null,
        planId,
        article: body.article ? { outlet: body.article.outlet, outletLevel: body.article.outletLevel, title: body.article.title, url: body.article.url } : null,
        establishmentIds: [...new Set(body.establishmentIds ?? [])],
        recordedByType: principal.agency.type,
        planPeriod: null,
        establishments: [],
      },
    };
    return this.pipeline.execute(activity, activityId, command, {
      expected: 'new',
      idempotencyKey,
      request: { route: 'record-activity', body: { ...body } },
      // The linked plan's period and the named establishments, from their own streams (a plan of another province is no plan here).
      complete: async (c) => {
        if (c.type !== 'RecordActivity') return c;
        let planPeriod: { from: string; to: string } | null = null;
        if (planId !== null) {
          const { state } = await this.pipeline.storeOf(plan).load(planId);
          if (state.status === 'ADOPTED' && state.plan.provinceCode === provinceCode) planPeriod = { from: state.plan.periodFrom, to: state.plan.periodTo };
        }
        const establishments = await Promise.all(
          c.data.establishmentIds.map(async (id) => {
            const { state } = await this.pipeline.storeOf(establishment).load(id);
            return state.status === 'NONE'
              ? { id, kind: null, provinceCode: null, open: false }
              : {
                  id,
                  kind: state.establishment.kind,
                  provinceCode: state.establishment.provinceCode,
                  open: state.closedOn === null || state.closedOn > c.data.heldOn,
                };
          }),
        );
        return { ...c, data: { ...c.data, planPeriod, establishments } };
      },
    });
  }

  execute(
    id: string,
    principal: Principal,
    conditions: { readonly expected: { readonly version: number }; readonly idempotencyKey: string | undefined },
    command: ActivityCommand,
  ): Promise<CommandResult<ActivityEvent>> {
    return this.pipeline.execute(activity, id, command, {
      ...conditions,
      authorize: (state) => assertActivityInScope(principal, 'activities.manage', unitsOfState(state)),
    });
  }
}

/** The id an activity recorded under `idempotencyKey` by `agencyCode` gets (demo data and tests find it by it). */
export const activityIdFor = (agencyCode: string, idempotencyKey: string): string => deterministicUuid(activity.idNamespace, agencyCode, idempotencyKey);
