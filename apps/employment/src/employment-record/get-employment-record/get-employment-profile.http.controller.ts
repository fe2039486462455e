import { Controller, Get, Inject, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '@haidang/auth';
import { etagOf, type HeaderSink } from '@haidang/http-platform';
import { isErased, type PersonalDataProtector } from '@haidang/pii';
import type { Principal } from '@haidang/request-context';
import { problemOf } from '@haidang/service-kit';
import { employmentRecordErrors } from '../../employment-errors.http';
import { PROTECTOR } from '../../tokens';
import { assertEmploymentRecordInScope } from '../employment-record-access';
import { EMPLOYMENT_RECORD_STORE, type EmploymentRecordStore } from '../employment-record.aggregate';

export class EmploymentProfileResponseDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10' }) readonly id!: string;
  @ApiProperty({ example: 3 }) readonly version!: number;
  @ApiProperty({ example: false, description: 'The person was erased (crypto-shredding): every free text below reads `[erased]`' })
  readonly erased!: boolean;
  @ApiPropertyOptional({ example: '2026-08-03', nullable: true, description: 'The day of the latest statement of skills and preferences' })
  readonly statedOn!: string | null;
  @ApiProperty({ example: 'Hàn điện cơ bản, lái xe máy' }) readonly skills!: string;
  @ApiProperty({ example: 'Ca ngày, gần nhà' }) readonly preferences!: string;
  @ApiProperty({ example: [{ enrolmentId: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d30', certificateNumber: 'QN-2026-001234' }] })
  readonly certificates!: readonly { readonly enrolmentId: string; readonly certificateNumber: string }[];
}

type Stated = { readonly skills?: unknown; readonly preferences?: unknown; readonly openedOn?: string; readonly assessedOn?: string };

/**
 * The person's own words in a record, decrypted with their key: skills, preferences and the
 * certificate numbers. Only for those who work on the record (the centre of its province, the
 * commune of residence); a provider, an employer or the PPC never reach it. After the person was
 * erased in cases (`cases.PersonErased.v1` shreds the key here too) every field reads `[erased]`.
 */
@ApiTags('employment-records')
@ApiBearerAuth()
@Controller('api/v1/employment-records')
export class GetEmploymentProfileHttpController {
  constructor(
    @Inject(EMPLOYMENT_RECORD_STORE) private readonly records: EmploymentRecordStore,
    @Inject(PROTECTOR) private readonly protector: PersonalDataProtector,
  ) {}

  @Get(':id/profile')
  @Authorize('employment-records.read')
  @ApiOperation({ summary: 'The person’s skills, preferences and certificate numbers, decrypted (`[erased]` once the person was erased)' })
  @ApiOkResponse({ type: EmploymentProfileResponseDto, description: '`ETag` is the record’s version' })
  async profile(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<EmploymentProfileResponseDto> {
    const events = await this.records.events(id);
    const { state, version } = await this.records.load(id);
    if (state.status === 'NONE' || state.personId === null) throw problemOf({ kind: 'not-found' }, employmentRecordErrors);
    assertEmploymentRecordInScope(principal, 'employment-records.read', state);
    const personId = state.personId;
    const stated = events.filter((e) => e.type === 'EmploymentRecordOpened' || e.type === 'NeedAssessed').at(-1);
    const shown = stated === undefined ? {} : ((await this.protector.reveal(personId, stated.data, ['skills', 'preferences'])) as Stated);
    const certificates = await Promise.all(
      events
        .filter((e) => e.type === 'TrainingCompleted')
        .map(async (e) => {
          const revealed = await this.protector.reveal(personId, e.data, ['certificateNumber']);
          return { enrolmentId: String(revealed['enrolmentId']), certificateNumber: String(revealed['certificateNumber']) };
        }),
    );
    res.setHeader('ETag', etagOf(version));
    return {
      id,
      version,
      erased: isErased(shown.skills) || isErased(shown.preferences) || (await this.protector.isErased(personId)),
      statedOn: shown.assessedOn ?? shown.openedOn ?? null,
      skills: typeof shown.skills === 'string' ? shown.skills : '',
      preferences: typeof shown.preferences === 'string' ? shown.preferences : '',
      certificates,
    };
  }
}
