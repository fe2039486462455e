import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsCalendarDate } from '../calendar-date';
import {
  DEACTIVATION_REASONS,
  OWNER_TYPES,
  SUPPORT_MODEL_CODE,
  SUPPORT_MODEL_KINDS,
  type DeactivationReason,
  type OwnerType,
  type SupportModelKind,
} from './domain';

const AGENCY_CODE = /^\d{2}-[A-Z_]{2,40}(-[0-9A-Za-z]{1,20})?$/;

export class FoundSupportModelRequestDto {
  @ApiProperty({ example: '22-SUPPORT_MODEL-3', description: 'The model’s agency code `<province>-SUPPORT_MODEL-<n>`: what referrals send persons to' })
  @Matches(SUPPORT_MODEL_CODE, { message: 'modelCode must be <province>-SUPPORT_MODEL-<n>' })
  readonly modelCode!: string;

  @ApiProperty({ example: 'CLB hỗ trợ người sau cai nghiện phường Cẩm Phả' })
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  readonly name!: string;

  @ApiProperty({ example: 'AFTER_CARE_CLUB', enum: SUPPORT_MODEL_KINDS })
  @IsIn(SUPPORT_MODEL_KINDS)
  readonly kind!: SupportModelKind;

  @ApiProperty({ example: 'COMMUNE', enum: OWNER_TYPES })
  @IsIn(OWNER_TYPES)
  readonly ownerType!: OwnerType;

  @ApiPropertyOptional({
    example: '22-COMMUNE-06793',
    nullable: true,
    description: 'The owner’s agency code, where it has one (the border guard: its own code)',
  })
  @IsOptional()
  @Matches(AGENCY_CODE, { message: 'ownerAgency must be an agency code <province>-<TYPE>[-<n>]' })
  readonly ownerAgency?: string | null;

  @ApiProperty({ example: '06793' })
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode!: string;

  @ApiProperty({ example: '2019-03-15' })
  @IsCalendarDate('foundedOn')
  readonly foundedOn!: string;
}

export class DeactivateSupportModelRequestDto {
  @ApiProperty({ example: '2022-09-01' })
  @IsCalendarDate('deactivatedOn')
  readonly deactivatedOn!: string;

  @ApiProperty({ example: 'NO_FUNDING', enum: DEACTIVATION_REASONS })
  @IsIn(DEACTIVATION_REASONS)
  readonly reason!: DeactivationReason;
}

export class ReactivateSupportModelRequestDto {
  @ApiProperty({ example: '2022-10-01' })
  @IsCalendarDate('reactivatedOn')
  readonly reactivatedOn!: string;
}

export class LogSupportModelActivityRequestDto {
  @ApiProperty({ example: '2022-04-01' })
  @IsCalendarDate('periodFrom')
  readonly periodFrom!: string;

  @ApiProperty({ example: '2022-06-30' })
  @IsCalendarDate('periodTo')
  readonly periodTo!: string;

  @ApiProperty({ example: 3, description: 'Meetings held in the period' })
  @IsInt()
  @Min(0)
  @Max(10_000)
  readonly meetings!: number;

  @ApiProperty({ example: 18, description: 'Members at the end of the period' })
  @IsInt()
  @Min(0)
  @Max(100_000)
  readonly members!: number;

  @ApiProperty({ example: 7, description: 'Persons supported in the period (a count, never names)' })
  @IsInt()
  @Min(0)
  @Max(100_000)
  readonly personsSupported!: number;
}
