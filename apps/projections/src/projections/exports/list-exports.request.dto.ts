import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export const LISTED_STATUSES = ['OPEN', 'CLOSED'] as const;

export class ListExportsQueryDto {
  @ApiPropertyOptional({ example: '06793', description: 'Only records in this commune; it must be within your scope' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode?: string;

  @ApiPropertyOptional({ example: 'OPEN', enum: LISTED_STATUSES })
  @IsOptional()
  @IsIn(LISTED_STATUSES)
  readonly status?: (typeof LISTED_STATUSES)[number];

  @ApiPropertyOptional({ example: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  readonly page?: number;
}
