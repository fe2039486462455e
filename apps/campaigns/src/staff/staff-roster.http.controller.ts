import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { etagOf, idempotencyKeyFrom, validated, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { answerHttp, problemOf, type ChangeAnswer } from '@haidang/service-kit';
import { staffRosterErrors } from '../campaigns-errors.http';
import { ChangeResponseDto } from '../change.response.dto';
import { STAFF_ROSTER_STORE, type StaffRosterStore } from './staff-roster.aggregate';
import { assertStaffInScope, StaffRosterCommands } from './staff-roster-commands';
import { RegisterStaffRequestDto } from './staff-roster.dto';

/** The staff register (counts by agency and group): registered once per agency and group, read back with its counts. */
@ApiTags('staff-rosters')
@ApiBearerAuth()
@Controller('api/v1/staff-rosters')
export class StaffRosterHttpController {
  constructor(
    @Inject(StaffRosterCommands) private readonly commands: StaffRosterCommands,
    @Inject(STAFF_ROSTER_STORE) private readonly rosters: StaffRosterStore,
  ) {}

  @Post()
  @HttpCode(201)
  @Authorize('staff.register')
  @ApiOperation({ summary: 'Registers how many staff of one group an agency of your province has (409 if the agency and group are registered)' })
  @ApiBody({ type: RegisterStaffRequestDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and records nothing' })
  @ApiCreatedResponse({ type: ChangeResponseDto })
  async register(
    @Body(validated(RegisterStaffRequestDto)) body: RegisterStaffRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<ChangeAnswer> {
    const result = await this.commands.register(body, principal, idempotencyKeyFrom(rawKey));
    return answerHttp(result, staffRosterErrors, res, (id) => `/api/v1/staff-rosters/${id}`);
  }

  @Get(':id')
  @Authorize('staff.read')
  @ApiOkResponse({ description: 'The entry with every count and the day it holds from; `ETag` is the version' })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: HeaderSink) {
    const { state, version } = await this.rosters.load(id);
    if (state.status === 'NONE') throw problemOf({ kind: 'not-found' }, staffRosterErrors);
    assertStaffInScope(principal, 'staff.read', state.roster.provinceCode);
    res.setHeader('ETag', etagOf(version));
    return { id, version, ...state.roster, headcount: state.counts.at(-1)?.headcount ?? 0, counts: state.counts };
  }
}
