import { Inject, Injectable } from '@nestjs/common';
import { jurisdiction, provinceOf } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, deterministicUuid, type CommandResult } from '@haidang/service-kit';
import { actsForPreventionOn } from '../agencies/domain/prevention-agencies';
import { UNKNOWN_COMMUNE } from '../campaigns-errors.http';
import { campaignsPolicy, type CampaignsAction } from '../campaigns.policy';
import type { SupportModelCommand, SupportModelEvent, SupportModelState } from './domain';
import { supportModel } from './support-model.aggregate';
import type { FoundSupportModelRequestDto } from './support-model.dto';

/** The fields the policy judges a model by: its commune, and the agency it belongs to for the caller's kind. */
export interface ModelScope {
  readonly communeCode: string;
  readonly modelCode: string;
  readonly ownerAgency: string | null;
}

/**
 * Throws 403 unless the caller may do `action` on the model: a commune in its jurisdiction, a
 * department in its province, the border guard on models it owns, a model on itself.
 */
export function assertModelInScope(principal: Principal, action: CampaignsAction, model: ModelScope | null): void {
  const agencyCode = model === null ? undefined : principal.agency.type === 'SUPPORT_MODEL' ? model.modelCode : (model.ownerAgency ?? undefined);
  campaignsPolicy.assertInScope(
    principal,
    action,
    { unitCodes: model === null ? [] : [model.communeCode], ...(agencyCode === undefined ? {} : { agencyCode }) },
    jurisdiction,
  );
}

const scopeOfState = (state: SupportModelState): ModelScope | null => (state.status === 'NONE' ? null : state.model);

const DEPARTMENT_NOT_HOLDER = {
  kind: 'DomainError',
  code: 'agency-not-holder',
  message: 'on that date the recording department did not hold social-evils prevention',
} as const;

/** The stream id of the model with this agency code: one stream per code. */
export const supportModelIdFor = (modelCode: string): string => deterministicUuid(supportModel.idNamespace, 'model-code', modelCode);

@Injectable()
export class SupportModelCommands {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  async found(body: FoundSupportModelRequestDto, principal: Principal, idempotencyKey: string | undefined): Promise<CommandResult<SupportModelEvent>> {
    const provinceCode = provinceOf(body.communeCode);
    if (provinceCode === undefined) return { ok: false, failure: { kind: 'rejected', error: UNKNOWN_COMMUNE } };
    const ownerAgency = body.ownerAgency ?? null;
    assertModelInScope(principal, 'support-models.found', { communeCode: body.communeCode, modelCode: body.modelCode, ownerAgency });
    if (!actsForPreventionOn(principal.agency.type, body.foundedOn)) return { ok: false, failure: { kind: 'rejected', error: DEPARTMENT_NOT_HOLDER } };
    const modelId = supportModelIdFor(body.modelCode);
    const command: SupportModelCommand = {
      type: 'FoundSupportModel',
      data: {
        modelId,
        modelCode: body.modelCode,
        name: body.name,
        kind: body.kind,
        ownerType: body.ownerType,
        ownerAgency,
        communeCode: body.communeCode,
        provinceCode,
        foundedOn: body.foundedOn,
      },
    };
    return this.pipeline.execute(supportModel, modelId, command, {
      expected: 'new',
      idempotencyKey,
      request: { route: 'found-support-model', body: { ...body } },
    });
  }

  execute(
    id: string,
    principal: Principal,
    action: CampaignsAction,
    conditions: { readonly expected: { readonly version: number }; readonly idempotencyKey: string | undefined },
    command: SupportModelCommand,
  ): Promise<CommandResult<SupportModelEvent>> {
    return this.pipeline.execute(supportModel, id, command, {
      ...conditions,
      authorize: (state) => assertModelInScope(principal, action, scopeOfState(state)),
    });
  }
}
