import { Controller, Get, Inject, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { etagOf, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { problemOf } from '@haidang/service-kit';
import { cooperationRecordErrors } from '../../cross-border-errors.http';
import { assertCooperationRecordInScope } from '../cooperation-record-access';
import { COOPERATION_RECORD_STORE, type CooperationRecordStore } from '../cooperation-record.aggregate';
import { CooperationRecordResponseDto } from './cooperation-record.response.dto';

@ApiTags('records')
@ApiBearerAuth()
@Controller('api/v1/records')
export class GetCooperationRecordHttpController {
  constructor(@Inject(COOPERATION_RECORD_STORE) private readonly records: CooperationRecordStore) {}

  /** The record as its stream says now (no lag), with its version as `ETag`. */
  @Get(':id')
  @Authorize('records.read')
  @ApiOkResponse({ type: CooperationRecordResponseDto, description: '`ETag` is the version to send as `If-Match`' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<CooperationRecordResponseDto> {
    const { state, version } = await this.records.load(id);
    if (state.status === 'NONE') throw problemOf({ kind: 'not-found' }, cooperationRecordErrors);
    assertCooperationRecordInScope(principal, 'records.read', state.communeCode);
    res.setHeader('ETag', etagOf(version));
    return {
      id,
      version,
      status: state.status,
      communeCode: state.communeCode,
      provinceCode: state.provinceCode,
      registeredOn: state.registeredOn,
      closedOn: state.closedOn,
      outcome: state.outcome,
    };
  }
}
