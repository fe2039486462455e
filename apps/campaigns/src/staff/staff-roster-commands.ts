import { Inject, Injectable } from '@nestjs/common';
import { jurisdiction } from '@haidang/jurisdiction';
import type { Principal } from '@haidang/request-context';
import { CommandPipeline, type CommandResult } from '@haidang/service-kit';
import { campaignsPolicy, type CampaignsAction } from '../campaigns.policy';
import type { StaffRosterCommand, StaffRosterEvent, StaffRosterState } from './domain';
import { staffRoster, staffRosterIdFor } from './staff-roster.aggregate';
import type { RegisterStaffRequestDto } from './staff-roster.dto';

export function assertStaffInScope(principal: Principal, action: CampaignsAction, provinceCode: string | null): void {
  campaignsPolicy.assertInScope(principal, action, { unitCodes: provinceCode === null ? [] : [provinceCode] }, jurisdiction);
}

const provinceOf = (state: StaffRosterState): string | null => (state.status === 'NONE' ? null : state.roster.provinceCode);

/** The staff register of the caller's province, through the kit's one pipeline. */
@Injectable()
export class StaffRosterCommands {
  constructor(@Inject(CommandPipeline) private readonly pipeline: CommandPipeline) {}

  register(body: RegisterStaffRequestDto, principal: Principal, idempotencyKey: string | undefined): Promise<CommandResult<StaffRosterEvent>> {
    const provinceCode = principal.agency.province;
    assertStaffInScope(principal, 'staff.register', provinceCode);
    const rosterId = staffRosterIdFor(body.agencyCode, body.group);
    const command: StaffRosterCommand = {
      type: 'RegisterStaff',
      data: {
        rosterId,
        provinceCode,
        agencyCode: body.agencyCode,
        group: body.group,
        headcount: body.headcount,
        asOf: body.asOf,
        recordedByType: principal.agency.type,
      },
    };
    return this.pipeline.execute(staffRoster, rosterId, command, { expected: 'new', idempotencyKey, request: { route: 'register-staff', body: { ...body } } });
  }

  execute(
    id: string,
    principal: Principal,
    conditions: { readonly expected: { readonly version: number }; readonly idempotencyKey: string | undefined },
    command: StaffRosterCommand,
  ): Promise<CommandResult<StaffRosterEvent>> {
    return this.pipeline.execute(staffRoster, id, command, {
      ...conditions,
      authorize: (state) => assertStaffInScope(principal, 'staff.manage', provinceOf(state)),
    });
  }
}
