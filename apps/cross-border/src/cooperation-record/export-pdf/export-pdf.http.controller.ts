import { Controller, Get, Header, Inject, Param, ParseUUIDPipe, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { problem, ProblemHttpException } from '@haidang/http-platform';
import type { Principal } from '@haidang/request-context';
import { problemOf } from '@haidang/service-kit';
import { cooperationRecordErrors } from '../../cross-border-errors.http';
import { assertCooperationRecordInScope } from '../cooperation-record-access';
import { COOPERATION_RECORD_STORE, type CooperationRecordStore } from '../cooperation-record.aggregate';
import { renderRecordPdf } from './record-pdf';

@ApiTags('records')
@ApiBearerAuth()
@Controller('api/v1/records')
export class ExportRecordPdfHttpController {
  constructor(@Inject(COOPERATION_RECORD_STORE) private readonly records: CooperationRecordStore) {}

  @Get(':id/export.pdf')
  @Authorize('records.read')
  @Header('Content-Type', 'application/pdf')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'A sealed record as PDF: both languages side by side, fonts embedded, the seal’s hash printed' })
  async export(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    const { state } = await this.records.load(id);
    if (state.content === null) throw problemOf({ kind: 'not-found' }, cooperationRecordErrors);
    assertCooperationRecordInScope(principal, 'records.read', state.content.provinceCode, state.content.kind);
    if (state.seal === null)
      throw new ProblemHttpException(
        problem({ status: 422, code: 'not-sealed', detail: 'Only a sealed record is exported; seal it once both sides have signed.' }),
      );
    const pdf = await renderRecordPdf(id, state.content, state.seal);
    return new StreamableFile(pdf, { disposition: `inline; filename="record-${id}.pdf"`, length: pdf.length });
  }
}
