import { Inject, Injectable } from '@nestjs/common';
import { jurisdiction, provinceOf } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, type CommandResult } from '@haidang/service-kit';
import { UNKNOWN_COMMUNE } from '../campaigns-errors.http';
import { campaignsPolicy, type CampaignsAction } from '../campaigns.policy';
import type { EstablishmentCommand, EstablishmentEvent, EstablishmentState } from './domain';
import { establishment } from './establishment.aggregate';
import type { RegisterEstablishmentRequestDto } from './establishment.dto';

export function assertEstablishmentInScope(principal: Principal, action: CampaignsAction, communeCode: string | null): void {
  campaignsPolicy.assertInScope(principal, action, { unitCodes: communeCode === null ? [] : [communeCode] }, jurisdiction);
}

const communeOf = (state: EstablishmentState): string | null => (state.status === 'NONE' ? null : state.establishment.communeCode);

@Injectable()
export class EstablishmentCommands {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  async register(body: RegisterEstablishmentRequestDto, principal: Principal, idempotencyKey: string | undefined): Promise<CommandResult<EstablishmentEvent>> {
    const provinceCode = provinceOf(body.communeCode);
    if (provinceCode === undefined) return { ok: false, failure: { kind: 'rejected', error: UNKNOWN_COMMUNE } };
    assertEstablishmentInScope(principal, 'establishments.register', body.communeCode);
    const establishmentId = this.pipeline.storeOf(establishment).newId(principal.agency.code, idempotencyKey);
    const command: EstablishmentCommand = {
      type: 'RegisterEstablishment',
      data: {
        establishmentId,
        kind: body.kind,
        schoolLevel: body.schoolLevel ?? null,
        name: body.name,
        communeCode: body.communeCode,
        provinceCode,
        openedOn: body.openedOn,
      },
    };
    return this.pipeline.execute(establishment, establishmentId, command, {
      expected: 'new',
      idempotencyKey,
      request: { route: 'register-establishment', body: { ...body } },
    });
  }

  execute(
    id: string,
    principal: Principal,
    conditions: { readonly expected: { readonly version: number }; readonly idempotencyKey: string | undefined },
    command: EstablishmentCommand,
  ): Promise<CommandResult<EstablishmentEvent>> {
    return this.pipeline.execute(establishment, id, command, {
      ...conditions,
      authorize: (state) => assertEstablishmentInScope(principal, 'establishments.manage', communeOf(state)),
    });
  }
}
