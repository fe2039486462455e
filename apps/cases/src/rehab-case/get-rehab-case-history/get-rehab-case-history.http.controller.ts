import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import type { Principal } from '@haidang/request-context';
import { replay, type RehabCaseEvent } from '../domain';
import { LegalBasisDto } from '../legal-basis.dto';
import { problemOf } from '@haidang/service-kit';
import { rehabCaseErrors } from '../../cases-errors.http';
import { RehabCaseAccess } from '../rehab-case-access';
import { REHAB_CASE_STORE, type RehabCaseStore } from '../rehab-case.aggregate';

export class RehabCaseHistoryEntryDto {
  @ApiProperty({ example: 0 }) readonly version!: number;
  @ApiProperty({ example: 'RehabFormDecided' }) readonly type!: string;
  @ApiProperty({ example: '2026-08-03T02:15:00.000Z', description: 'When the service recorded it' }) readonly recordedAt!: string;
  @ApiPropertyOptional({ example: 'dev:22-COMMUNE-06793', nullable: true, description: 'The officer (token subject)' }) readonly actor!: string | null;
  @ApiPropertyOptional({ example: '22-COMMUNE-06793', nullable: true }) readonly agency!: string | null;
  @ApiPropertyOptional({ type: LegalBasisDto, nullable: true }) readonly legalBasis!: LegalBasisDto | null;
  @ApiPropertyOptional({ example: 'LAW_120_2025_QH15', nullable: true, description: 'The law the decision was judged under' }) readonly regime!: string | null;
}

export class RehabCaseHistoryResponseDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10' }) readonly id!: string;
  @ApiProperty({ type: [RehabCaseHistoryEntryDto] }) readonly items!: RehabCaseHistoryEntryDto[];
}

@ApiTags('rehab-cases')
@ApiBearerAuth()
@Controller('api/v1/rehab-cases')
export class GetRehabCaseHistoryHttpController {
  constructor(
    @Inject(REHAB_CASE_STORE) private readonly cases: RehabCaseStore,
    @Inject(RehabCaseAccess) private readonly access: RehabCaseAccess,
  ) {}

  /** Who did what, when, under which decision: from the events' metadata. Event data beyond the legal basis (notes) is not shown. */
  @Get(':id/history')
  @Authorize('rehab-cases.history')
  @ApiOkResponse({ type: RehabCaseHistoryResponseDto })
  async history(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal): Promise<RehabCaseHistoryResponseDto> {
    const events = await this.cases.events(id);
    if (events.length === 0) throw problemOf({ kind: 'not-found' }, rehabCaseErrors);
    await this.access.authorizeRead(
      principal,
      'rehab-cases.history',
      id,
      replay(events.map((e) => ({ type: e.type, data: e.data }) as unknown as RehabCaseEvent)),
    );
    return {
      id,
      items: events.map((e) => {
        const data = e.data as { legalBasis?: LegalBasisDto; regime?: string };
        return {
          version: Number(e.revision),
          type: e.type,
          recordedAt: e.created.toISOString(),
          actor: typeof e.metadata.actor === 'string' ? e.metadata.actor : null,
          agency: typeof e.metadata.agency === 'string' ? e.metadata.agency : null,
          legalBasis: data.legalBasis
            ? { decisionNo: data.legalBasis.decisionNo, decisionDate: data.legalBasis.decisionDate, issuedBy: data.legalBasis.issuedBy }
            : null,
          regime: typeof data.regime === 'string' ? data.regime : null,
        };
      }),
    };
  }
}
