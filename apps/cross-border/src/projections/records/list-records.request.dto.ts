import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { RECORD_KINDS } from '../../cooperation-record/domain/cooperation-record.events';

export const LISTED_STATUSES = ['OPEN', 'SEALED'] as const;

export class ListRecordsQueryDto {
  @ApiPropertyOptional({ example: '20', description: 'Your province (the default); another is refused' })
  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'provinceCode must be a province code of 2 digits' })
  readonly provinceCode?: string;

  @ApiPropertyOptional({ example: 'HANDOVER', enum: RECORD_KINDS }) @IsOptional() @IsIn(RECORD_KINDS) readonly kind?: (typeof RECORD_KINDS)[number];
  @ApiPropertyOptional({ example: 'SEALED', enum: LISTED_STATUSES }) @IsOptional() @IsIn(LISTED_STATUSES) readonly status?: (typeof LISTED_STATUSES)[number];
  @ApiPropertyOptional({ example: 'LS-HUU-NGHI' }) @IsOptional() @IsString() @MaxLength(40) readonly crossingCode?: string;

  @ApiPropertyOptional({ example: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  readonly page?: number;
}
