import { Body, Controller, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { validated } from '@haidang/http-platform';
import { RehabCaseChangeResponseDto } from '../legal-basis.dto';
import { RehabCaseCommands, type RehabCaseChange } from '../rehab-case-commands';
import { etagOf, type HeaderSink } from '../rehab-case-http';
import { RecordRelapseRequestDto } from './record-relapse.request.dto';

@ApiTags('rehab-cases')
@ApiBearerAuth()
@Controller('api/v1/rehab-cases')
export class RecordRelapseHttpController {
  constructor(@Inject(RehabCaseCommands) private readonly commands: RehabCaseCommands) {}

  @Post(':id/relapse')
  @HttpCode(200)
  @Authorize('rehab-cases.manage')
  @ApiOperation({ summary: 'Records a relapse after completion' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag of the case read: 428 when missing, 409 when stale' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key (and the same If-Match) appends nothing' })
  @ApiOkResponse({ type: RehabCaseChangeResponseDto, description: '`ETag` is the new version; a broken rule is 422 with the rule in plain words' })
  async handle(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body(validated(RecordRelapseRequestDto)) body: RecordRelapseRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<RehabCaseChange> {
    const result = await this.commands.execute(id, principal, ifMatch, rawKey, { type: 'RecordRelapse', data: { detectedOn: body.detectedOn } });
    res.setHeader('ETag', etagOf(result.version));
    return result;
  }
}
