import { Controller, Get, Inject, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { etagOf, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { problemOf } from '@haidang/service-kit';
import { employmentRecordErrors } from '../../employment-errors.http';
import { assertEmploymentRecordInScope } from '../employment-record-access';
import { EMPLOYMENT_RECORD_STORE, type EmploymentRecordStore } from '../employment-record.aggregate';
import { EmploymentRecordResponseDto } from './employment-record.response.dto';

@ApiTags('employment-records')
@ApiBearerAuth()
@Controller('api/v1/employment-records')
export class GetEmploymentRecordHttpController {
  constructor(@Inject(EMPLOYMENT_RECORD_STORE) private readonly records: EmploymentRecordStore) {}

  /** The record as its stream says now (no lag), with its version as `ETag`. */
  @Get(':id')
  @Authorize('employment-records.read')
  @ApiOkResponse({ type: EmploymentRecordResponseDto, description: '`ETag` is the version to send as `If-Match`' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<EmploymentRecordResponseDto> {
    const { state, version } = await this.records.load(id);
    if (state.status === 'NONE') throw problemOf({ kind: 'not-found' }, employmentRecordErrors);
    assertEmploymentRecordInScope(principal, 'employment-records.read', state.communeCode);
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
