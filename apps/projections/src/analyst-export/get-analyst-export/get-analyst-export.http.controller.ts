import { Controller, Get, Inject, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { etagOf, type HeaderSink } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { problemOf } from '@haidang/service-kit';
import { analystExportErrors } from '../../projections-errors.http';
import { assertAnalystExportInScope } from '../analyst-export-access';
import { ANALYST_EXPORT_STORE, type AnalystExportStore } from '../analyst-export.aggregate';
import { AnalystExportResponseDto } from './analyst-export.response.dto';

@ApiTags('exports')
@ApiBearerAuth()
@Controller('api/v1/exports')
export class GetAnalystExportHttpController {
  constructor(@Inject(ANALYST_EXPORT_STORE) private readonly records: AnalystExportStore) {}

  /** The record as its stream says now (no lag), with its version as `ETag`. */
  @Get(':id')
  @Authorize('exports.read')
  @ApiOkResponse({ type: AnalystExportResponseDto, description: '`ETag` is the version to send as `If-Match`' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<AnalystExportResponseDto> {
    const { state, version } = await this.records.load(id);
    if (state.status === 'NONE') throw problemOf({ kind: 'not-found' }, analystExportErrors);
    assertAnalystExportInScope(principal, 'exports.read', state.communeCode);
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
