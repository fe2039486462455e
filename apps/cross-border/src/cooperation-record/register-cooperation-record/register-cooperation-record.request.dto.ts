import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '../../calendar-date';
import {
  EXCHANGE_CHANNELS,
  EXCHANGE_DIRECTIONS,
  EXCHANGE_SUBJECTS,
  HANDOVER_CATEGORIES,
  HANDOVER_DIRECTIONS,
  MEETING_LEVELS,
  NATIONALITIES,
  OFFENCES,
  RECORD_KINDS,
  SEIZURE_UNITS,
  SUBSTANCES,
  type RecordKind,
} from '../domain';
import { SUPPORT_NEEDS, type SupportNeed } from '../../handed-over-person/domain';
import { LocalizedTextDto } from '../localized-text.dto';

export class AgreedPointDto {
  @ApiProperty({ example: 'Tuần tra song phương mỗi tháng một lần' }) @IsString() @MaxLength(1000) readonly vi!: string;
  @ApiPropertyOptional({ example: '每月联合巡逻一次', nullable: true }) @IsOptional() @IsString() @MaxLength(1000) readonly zh?: string;
}

export class MeetingDto {
  @ApiProperty({ enum: MEETING_LEVELS, example: 'PROVINCE' }) @IsIn(MEETING_LEVELS) readonly level!: string;
  @ApiProperty({ example: 'Cửa khẩu quốc tế Hữu Nghị / 友谊关' }) @IsString() @MaxLength(300) readonly place!: string;
  @ApiProperty({ type: [AgreedPointDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AgreedPointDto)
  readonly agreedPoints!: AgreedPointDto[];
}

export class InformationExchangeDto {
  @ApiProperty({ enum: EXCHANGE_CHANNELS, example: 'HOTLINE' }) @IsIn(EXCHANGE_CHANNELS) readonly channel!: string;
  @ApiProperty({ enum: EXCHANGE_DIRECTIONS, example: 'SENT' }) @IsIn(EXCHANGE_DIRECTIONS) readonly direction!: string;
  @ApiProperty({ enum: EXCHANGE_SUBJECTS, example: 'DRUGS' }) @IsIn(EXCHANGE_SUBJECTS) readonly subject!: string;
  @ApiPropertyOptional({ example: 5, description: 'Working days (official calendar, holidays skipped) the other side has to reply' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  readonly replyWithinWorkingDays?: number;
}

export class JointPatrolDto {
  @ApiProperty({ example: '1116' }) @IsString() @MaxLength(20) readonly markerFrom!: string;
  @ApiProperty({ example: '1119/2' }) @IsString() @MaxLength(20) readonly markerTo!: string;
  @ApiProperty({ example: ['Đồn Biên phòng Hữu Nghị'] }) @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) readonly vietnameseUnits!: string[];
  @ApiProperty({ example: ['GX-PX-BD'], description: 'Counterpart unit codes (GET /api/v1/counterpart-units)' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  readonly chineseUnits!: string[];
}

export class ArrestDto {
  @ApiProperty({ enum: NATIONALITIES, example: 'VN' }) @IsIn(NATIONALITIES) readonly nationality!: string;
  @ApiProperty({ example: 3 }) @IsInt() @Min(0) @Max(10_000) readonly count!: number;
}

export class SeizureDto {
  @ApiProperty({ enum: SUBSTANCES, example: 'HEROIN' }) @IsIn(SUBSTANCES) readonly substance!: string;
  @ApiProperty({ example: 12 }) @IsNumber({ maxDecimalPlaces: 3 }) @Min(0) @Max(100_000_000) readonly quantity!: number;
  @ApiProperty({ enum: SEIZURE_UNITS, example: 'BRICK' }) @IsIn(SEIZURE_UNITS) readonly unit!: string;
}

export class JointCaseDto {
  @ApiProperty({ example: '12/2019/CSMT' }) @IsString() @MaxLength(60) readonly caseNumberVn!: string;
  @ApiProperty({ example: '凭公刑立字〔2019〕88号' }) @IsString() @MaxLength(60) readonly caseNumberCn!: string;
  @ApiProperty({ enum: OFFENCES, example: 'DRUGS' }) @IsIn(OFFENCES) readonly offence!: string;
  @ApiProperty({ type: [ArrestDto] }) @IsArray() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => ArrestDto) readonly arrests!: ArrestDto[];
  @ApiProperty({ type: [SeizureDto] }) @IsArray() @ArrayMaxSize(30) @ValidateNested({ each: true }) @Type(() => SeizureDto) readonly seizures!: SeizureDto[];
}

export class HandoverDto {
  @ApiProperty({ enum: HANDOVER_DIRECTIONS, example: 'RECEIVED_FROM_CHINA' }) @IsIn(HANDOVER_DIRECTIONS) readonly direction!: string;
  @ApiProperty({ enum: HANDOVER_CATEGORIES, example: 'TRAFFICKING_VICTIM' }) @IsIn(HANDOVER_CATEGORIES) readonly category!: string;
  @ApiProperty({ example: 2 }) @IsInt() @Min(1) @Max(10_000) readonly count!: number;
  @ApiProperty({ example: '07/BB-BGCD' }) @IsString() @MaxLength(60) readonly minutesNumber!: string;
  @ApiProperty({ example: '2020-06-12' }) @IsCalendarDate('minutesSignedOn') readonly minutesSignedOn!: string;
}

export class FigureDto {
  @ApiProperty({ example: 'HANDED_OVER_ILLEGAL_ENTRANT', description: 'A category of GET /api/v1/statistics/categories' })
  @IsString()
  @MaxLength(60)
  readonly category!: string;
  @ApiProperty({ example: 470 }) @IsNumber({ maxDecimalPlaces: 3 }) @Min(0) @Max(100_000_000) readonly value!: number;
}

export class PeriodSummaryDto {
  @ApiProperty({ example: '2015-01-01' }) @IsCalendarDate('periodFrom') readonly periodFrom!: string;
  @ApiProperty({ example: '2020-12-31' }) @IsCalendarDate('periodTo') readonly periodTo!: string;
  @ApiProperty({ type: [FigureDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => FigureDto)
  readonly figures!: FigureDto[];
}

export class HomeResidenceDto {
  @ApiProperty({ example: '20', description: 'Province code in force (2 digits)' })
  @Matches(/^\d{2}$/, { message: 'provinceCode must be 2 digits' })
  readonly provinceCode!: string;
  @ApiProperty({ example: '05977', description: 'Home commune code in force (5 digits)' })
  @Matches(/^\d{5}$/, { message: 'communeCode must be 5 digits' })
  readonly communeCode!: string;
  @ApiProperty({ example: 'Thôn Nà Phai', description: 'Personal: encrypted' }) @IsString() @MaxLength(300) readonly address!: string;
}

/** `<province>-<TYPE>[-<n>]`: the form; the handler checks the type each need takes and the province. */
const AGENCY_CODE = /^\d{2}-[A-Z][A-Z_]{1,39}(-[0-9A-Za-z]{1,20})?$/;

export class NeedRequestDto {
  @ApiProperty({ enum: SUPPORT_NEEDS, example: 'SHELTER', description: 'SHELTER, HEALTH (health care, no treatment data) or LEGAL_AID' })
  @IsIn(SUPPORT_NEEDS)
  readonly need!: SupportNeed;
  @ApiProperty({
    example: '20-COMMUNE-05977',
    description:
      'The state agency of the record’s province asked for it: SHELTER and LEGAL_AID the home commune or the Department of Health (social protection since 2025-03-01), HEALTH the Department of Health',
  })
  @Matches(AGENCY_CODE, { message: 'agency must be an agency code <province>-<TYPE>[-<n>]' })
  readonly agency!: string;
}

export class SupportRequestDto {
  @ApiPropertyOptional({
    example: '20-HEALTH',
    description:
      'The state agency asked for support as a whole (TRAFFICKING_VICTIM_SUPPORT): the Department of Health, which holds victim support since 2025-03-01, or the home commune. Give it, `needs`, or both. A non-state partner needs the person’s consent: refer from the referrals service instead.',
  })
  @IsOptional()
  @Matches(/^\d{2}-(HEALTH|COMMUNE)(-[0-9A-Za-z]{1,20})?$/, {
    message: 'supportAgency must be the code of a state agency that supports trafficking victims: the Department of Health (since 2025) or a commune',
  })
  readonly supportAgency?: string;
  @ApiPropertyOptional({
    type: [NeedRequestDto],
    description: 'What the person needs, each need once with the agency asked: one referral per need (SHELTER, HEALTH, LEGAL_AID)',
    example: [
      { need: 'SHELTER', agency: '20-COMMUNE-05977' },
      { need: 'HEALTH', agency: '20-HEALTH' },
    ],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SUPPORT_NEEDS.length)
  @ValidateNested({ each: true })
  @Type(() => NeedRequestDto)
  readonly needs?: NeedRequestDto[];
  @ApiProperty({ enum: ['MALE', 'FEMALE'], example: 'FEMALE' }) @IsIn(['MALE', 'FEMALE']) readonly sex!: 'MALE' | 'FEMALE';
  @ApiProperty({ example: '2001-03-14', description: 'Personal: encrypted' }) @IsCalendarDate('dateOfBirth') readonly dateOfBirth!: string;
  @ApiProperty({ type: HomeResidenceDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => HomeResidenceDto)
  readonly residence!: HomeResidenceDto;
}

export class HandedOverPersonDto {
  @ApiProperty({
    example: 'Nguyễn Thị Hoa',
    description: 'Personal: encrypted with the person’s own key, shown only to the agencies handling the person',
  })
  @IsString()
  @MaxLength(200)
  readonly fullName!: string;
  @ApiPropertyOptional({ example: 2001 }) @IsOptional() @IsInt() @Min(1900) @Max(2100) readonly birthYear?: number;
  @ApiPropertyOptional({
    type: SupportRequestDto,
    description:
      'A trafficking victim or a returned citizen received from China who needs support: registered in cases (with your token) and referred to `supportAgency` (TRAFFICKING_VICTIM_SUPPORT) and for each of `needs` to its agency, once each',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SupportRequestDto)
  readonly support?: SupportRequestDto;
}

/** The sub-object each kind takes its details from. */
export const DETAILS_FIELD = {
  MEETING: 'meeting',
  INFORMATION_EXCHANGE: 'informationExchange',
  JOINT_PATROL: 'jointPatrol',
  JOINT_CASE: 'jointCase',
  HANDOVER: 'handover',
  PERIOD_SUMMARY: 'periodSummary',
} as const satisfies Record<RecordKind, string>;

const kindIs = (kind: RecordKind) => (o: { kind?: unknown }) => o.kind === kind;

export class RegisterCooperationRecordRequestDto {
  @ApiProperty({ enum: RECORD_KINDS, example: 'HANDOVER', description: 'The kind of record; its details go in the field of the same name' })
  @IsIn(RECORD_KINDS)
  readonly kind!: RecordKind;

  @ApiProperty({ example: '20', description: 'The province that holds the record (yours): its scope' })
  @Matches(/^\d{2}$/, { message: 'provinceCode must be a province code of 2 digits' })
  readonly provinceCode!: string;

  @ApiProperty({ example: '2020-06-12', description: 'When it took place, YYYY-MM-DD, not after today in Vietnam' })
  @IsCalendarDate('occurredOn')
  readonly occurredOn!: string;

  @ApiPropertyOptional({ example: 'LS-HUU-NGHI', description: 'A border crossing of the register (required for a handover)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  readonly crossingCode?: string;

  @ApiPropertyOptional({ example: ['GX-PX-PSB'], description: 'Counterpart units of the register' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  readonly counterpartCodes?: string[];

  @ApiProperty({
    type: LocalizedTextDto,
    description: 'Vietnamese (required)',
    example: { title: 'Biên bản bàn giao', body: 'Phía Trung Quốc bàn giao 02 nạn nhân.' },
  })
  @IsDefined({ message: 'vi is required' })
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  readonly vi!: LocalizedTextDto;

  @ApiPropertyOptional({
    type: LocalizedTextDto,
    description: 'Simplified Chinese: required before sealing',
    example: { title: '移交纪要', body: '中方向越方移交被拐卖受害人2名。' },
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  readonly zh?: LocalizedTextDto;

  @ApiPropertyOptional({ example: 'Hoàng Thị Mai', description: 'Who translated (required with zh)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  readonly translator?: string;

  @ApiPropertyOptional({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10', description: 'A sealed record this one corrects (same kind and province)' })
  @IsOptional()
  @IsUUID()
  readonly corrects?: string;

  @ApiPropertyOptional({ type: MeetingDto })
  @ValidateIf(kindIs('MEETING'))
  @IsDefined({ message: 'meeting is required for a MEETING' })
  @ValidateNested()
  @Type(() => MeetingDto)
  readonly meeting?: MeetingDto;
  @ApiPropertyOptional({ type: InformationExchangeDto })
  @ValidateIf(kindIs('INFORMATION_EXCHANGE'))
  @IsDefined({ message: 'informationExchange is required for an INFORMATION_EXCHANGE' })
  @ValidateNested()
  @Type(() => InformationExchangeDto)
  readonly informationExchange?: InformationExchangeDto;
  @ApiPropertyOptional({ type: JointPatrolDto })
  @ValidateIf(kindIs('JOINT_PATROL'))
  @IsDefined({ message: 'jointPatrol is required for a JOINT_PATROL' })
  @ValidateNested()
  @Type(() => JointPatrolDto)
  readonly jointPatrol?: JointPatrolDto;
  @ApiPropertyOptional({ type: JointCaseDto })
  @ValidateIf(kindIs('JOINT_CASE'))
  @IsDefined({ message: 'jointCase is required for a JOINT_CASE' })
  @ValidateNested()
  @Type(() => JointCaseDto)
  readonly jointCase?: JointCaseDto;
  @ApiPropertyOptional({ type: HandoverDto })
  @ValidateIf(kindIs('HANDOVER'))
  @IsDefined({ message: 'handover is required for a HANDOVER' })
  @ValidateNested()
  @Type(() => HandoverDto)
  readonly handover?: HandoverDto;
  @ApiPropertyOptional({ type: PeriodSummaryDto })
  @ValidateIf(kindIs('PERIOD_SUMMARY'))
  @IsDefined({ message: 'periodSummary is required for a PERIOD_SUMMARY' })
  @ValidateNested()
  @Type(() => PeriodSummaryDto)
  readonly periodSummary?: PeriodSummaryDto;

  @ApiPropertyOptional({ type: [HandedOverPersonDto], description: 'Handovers only: the persons named in the minutes (personal, encrypted)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => HandedOverPersonDto)
  readonly persons?: HandedOverPersonDto[];
}
