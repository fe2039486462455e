import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '../calendar-date';
import {
  ACTIVITY_FORMS,
  AUDIENCE_TYPES,
  CAMPAIGN_MONTHS,
  OUTLET_LEVELS,
  VENUE_TYPES,
  WITHDRAWAL_REASONS,
  type ActivityForm,
  type AudienceType,
  type CampaignMonth,
  type OutletLevel,
  type VenueType,
  type WithdrawalReason,
} from './domain';

export class ArticleDto {
  @ApiProperty({ example: 'Cổng thông tin điện tử tỉnh Quảng Ninh' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  readonly outlet!: string;

  @ApiProperty({ example: 'PROVINCIAL', enum: OUTLET_LEVELS })
  @IsIn(OUTLET_LEVELS)
  readonly outletLevel!: OutletLevel;

  @ApiProperty({ example: 'Quảng Ninh hưởng ứng Tháng hành động phòng, chống ma túy' })
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  readonly title!: string;

  @ApiProperty({ example: 'https://www.quangninh.gov.vn/bai-viet/1' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http(s) URL' })
  @MaxLength(500)
  readonly url!: string;
}

export class RecordActivityRequestDto {
  @ApiProperty({ example: ['06793'], description: 'Communes it took place in (codes); may be empty for an article or social media' })
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(/^\d{5}$/, { each: true, message: 'communeCodes must be commune codes of 5 digits' })
  readonly communeCodes!: string[];

  @ApiProperty({ example: '2022-06-26', description: 'The day it was held (published, for an article)' })
  @IsCalendarDate('heldOn')
  readonly heldOn!: string;

  @ApiProperty({ example: 'MEETING', enum: ACTIVITY_FORMS })
  @IsIn(ACTIVITY_FORMS)
  readonly form!: ActivityForm;

  @ApiProperty({ example: 'RESIDENTIAL_AREA', enum: VENUE_TYPES, description: 'MEDIA for articles and social media, and only for them' })
  @IsIn(VENUE_TYPES)
  readonly venueType!: VenueType;

  @ApiProperty({ example: 'GENERAL_PUBLIC', enum: AUDIENCE_TYPES })
  @IsIn(AUDIENCE_TYPES)
  readonly audienceType!: AudienceType;

  @ApiProperty({ example: 120, description: 'How many people it reached (0 when unknown, e.g. an article)' })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  readonly audienceCount!: number;

  @ApiPropertyOptional({ example: 'DRUG_PREVENTION_MONTH', enum: CAMPAIGN_MONTHS, nullable: true })
  @IsOptional()
  @IsIn(CAMPAIGN_MONTHS)
  readonly campaignMonth?: CampaignMonth | null;

  @ApiPropertyOptional({ example: '6f1d1c1e-1111-4a4a-8a8a-000000000146', nullable: true, description: 'The plan it carries out' })
  @IsOptional()
  @IsUUID()
  readonly planId?: string | null;

  @ApiPropertyOptional({ type: ArticleDto, nullable: true, description: 'The article register entry: required for form ARTICLE, refused otherwise' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ArticleDto)
  readonly article?: ArticleDto | null;

  @ApiPropertyOptional({
    example: [],
    description: 'The registered zones or schools it was held in: required for the venues INDUSTRIAL_ZONE, ECONOMIC_ZONE, SCHOOL',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID(undefined, { each: true })
  readonly establishmentIds?: string[];
}

export class WithdrawActivityRequestDto {
  @ApiProperty({ example: '2022-07-01' })
  @IsCalendarDate('withdrawnOn')
  readonly withdrawnOn!: string;

  @ApiProperty({ example: 'DUPLICATE', enum: WITHDRAWAL_REASONS })
  @IsIn(WITHDRAWAL_REASONS)
  readonly reason!: WithdrawalReason;
}
