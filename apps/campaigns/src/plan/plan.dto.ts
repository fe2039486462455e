import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '../calendar-date';
import { TARGET_COMPARISONS, TARGET_KINDS, TARGET_SPANS, UNIT_LEVELS, type TargetComparison, type TargetKind, type TargetSpan, type UnitLevel } from './domain';

export const AGENCY_CODE = /^\d{2}-[A-Z_]{2,40}(-[0-9A-Za-z]{1,20})?$/;
const DOCUMENT_NUMBER = /^[\p{L}\p{N}][\p{L}\p{N} ./_-]{0,63}$/u;
const INDICATOR = /^[A-Z][A-Z0-9_]{1,63}$/;
const EVENT_TYPE = /^[a-z-]+\.[A-Za-z]+\.v\d+$/;

export class PlanTargetDto {
  @ApiProperty({ example: 'COMMUNES_WITH_ACTIVITY', description: 'Stable indicator code (UPPER_SNAKE)' })
  @Matches(INDICATOR, { message: 'indicator must be an UPPER_SNAKE code' })
  readonly indicator!: string;

  @ApiProperty({ example: 'communes that held at least one communication activity in the period' })
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  readonly numerator!: string;

  @ApiProperty({ example: 'communes of the province in force', nullable: true, description: 'Required for a percentage; null for a count' })
  @ValidateIf((t: PlanTargetDto) => t.denominator !== null)
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  readonly denominator!: string | null;

  @ApiProperty({ example: 'PERCENT', enum: TARGET_KINDS })
  @IsIn(TARGET_KINDS)
  readonly kind!: TargetKind;

  @ApiProperty({ example: 'AT_LEAST', enum: TARGET_COMPARISONS })
  @IsIn(TARGET_COMPARISONS)
  readonly comparison!: TargetComparison;

  @ApiProperty({ example: 100, description: 'A percentage (0 < v ≤ 100) or a count (a whole number above 0)' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  readonly value!: number;

  @ApiProperty({ example: 'COMMUNE', enum: UNIT_LEVELS, description: 'DISTRICT only in plans issued before 2025-07-01' })
  @IsIn(UNIT_LEVELS)
  readonly unitLevel!: UnitLevel;

  @ApiProperty({ example: 'PERIOD', enum: TARGET_SPANS, description: 'WEEK: to be reached every week (≥ 2 articles a week)' })
  @IsIn(TARGET_SPANS)
  readonly span!: TargetSpan;

  @ApiProperty({ example: ['campaigns.ActivityRecorded.v1'], description: 'Integration event types that count toward it' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @Matches(EVENT_TYPE, { each: true, message: 'countedEvents must be integration event types like campaigns.ActivityRecorded.v1' })
  readonly countedEvents!: string[];
}

export class AdoptPlanRequestDto {
  @ApiProperty({ example: '22-PPC', description: 'The issuing body (agency code)' })
  @Matches(AGENCY_CODE, { message: 'issuedBy must be an agency code <province>-<TYPE>[-<n>]' })
  readonly issuedBy!: string;

  @ApiProperty({ example: '146/KH-UBND' })
  @Matches(DOCUMENT_NUMBER, { message: 'number must be a document number (letters, digits, space . / _ -)' })
  readonly number!: string;

  @ApiProperty({ example: '2022-05-20' })
  @IsCalendarDate('issuedOn')
  readonly issuedOn!: string;

  @ApiProperty({ example: 'Thực hiện công tác cai nghiện ma túy và quản lý sau cai nghiện ma túy năm 2022' })
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  readonly title!: string;

  @ApiProperty({ example: '22-DOLISA', description: 'The lead agency (chủ trì)' })
  @Matches(AGENCY_CODE, { message: 'leadAgency must be an agency code <province>-<TYPE>[-<n>]' })
  readonly leadAgency!: string;

  @ApiProperty({ example: '2022-01-01' })
  @IsCalendarDate('periodFrom')
  readonly periodFrom!: string;

  @ApiProperty({ example: '2022-12-31' })
  @IsCalendarDate('periodTo')
  readonly periodTo!: string;

  @ApiPropertyOptional({ example: null, nullable: true, description: 'The plan this one carries out (a district plan under the province’s)' })
  @IsOptional()
  @IsUUID()
  readonly parentPlanId?: string | null;

  @ApiPropertyOptional({
    example: 'Thành phố Cẩm Phả',
    nullable: true,
    description: 'A district’s plan (issued before 2025-07-01): the district as the unit register names it; needs parentPlanId',
  })
  @IsOptional()
  @IsString({ message: 'districtName must be text' })
  @MinLength(3, { message: 'districtName must be a district name' })
  @MaxLength(100)
  readonly districtName?: string | null;

  @ApiProperty({ type: [PlanTargetDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PlanTargetDto)
  readonly targets!: PlanTargetDto[];
}

export class AmendPlanRequestDto {
  @ApiProperty({ example: '201/KH-UBND', description: 'The number of the amending document' })
  @Matches(DOCUMENT_NUMBER, { message: 'number must be a document number (letters, digits, space . / _ -)' })
  readonly number!: string;

  @ApiProperty({ example: '2022-07-01' })
  @IsCalendarDate('issuedOn')
  readonly issuedOn!: string;

  @ApiProperty({ example: '2022-07-01', description: 'The first day the new targets are in force; after the first day of the plan period' })
  @IsCalendarDate('effectiveFrom')
  readonly effectiveFrom!: string;

  @ApiProperty({ type: [PlanTargetDto], description: 'The whole new set of targets' })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PlanTargetDto)
  readonly targets!: PlanTargetDto[];
}

export class PlanOnQueryDto {
  @ApiPropertyOptional({ example: '2022-06-30', description: 'The day to answer the targets in force on (default: today in Vietnam)' })
  @IsOptional()
  @IsCalendarDate('on')
  readonly on?: string;
}

export const targetOf = (t: PlanTargetDto) => ({
  indicator: t.indicator,
  numerator: t.numerator,
  denominator: t.denominator,
  kind: t.kind,
  comparison: t.comparison,
  value: t.value,
  unitLevel: t.unitLevel,
  span: t.span,
  countedEvents: [...t.countedEvents],
});
