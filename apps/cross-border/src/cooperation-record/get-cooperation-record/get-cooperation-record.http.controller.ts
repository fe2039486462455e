import { Controller, Get, Inject, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { etagOf, type HeaderSink } from '@haidang/http-platform';
import type { PersonalDataProtector } from '@haidang/pii';
import type { Principal } from '@haidang/request-context';
import { problemOf } from '@haidang/service-kit';
import { cooperationRecordErrors } from '../../cross-border-errors.http';
import { PROTECTOR } from '../../tokens';
import { assertCooperationRecordInScope, handlesPersons } from '../cooperation-record-access';
import { COOPERATION_RECORD_STORE, type CooperationRecordStore } from '../cooperation-record.aggregate';
import { CooperationRecordResponseDto } from './cooperation-record.response.dto';

@ApiTags('records')
@ApiBearerAuth()
@Controller('api/v1/records')
export class GetCooperationRecordHttpController {
  constructor(
    @Inject(COOPERATION_RECORD_STORE) private readonly records: CooperationRecordStore,
    @Inject(PROTECTOR) private readonly protector: PersonalDataProtector,
  ) {}

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
    if (state.content === null) throw problemOf({ kind: 'not-found' }, cooperationRecordErrors);
    assertCooperationRecordInScope(principal, 'records.read', state.content.provinceCode);
    let persons: unknown = null;
    if (state.namesPersons && handlesPersons(principal, state.content.provinceCode)) {
      const registered = (await this.records.events(id))[0];
      const data = (registered?.data ?? {}) as Record<string, unknown>;
      persons = (await this.protector.reveal(id, data, ['persons']))['persons'];
    }
    res.setHeader('ETag', etagOf(version));
    const { recordId: _recordId, ...content } = state.content;
    return { id, version, status: state.status, ...content, seal: state.seal, persons };
  }
}
