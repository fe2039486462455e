import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export const LISTED_MANAGEMENT_STATUSES = ['IN_PROGRESS', 'ENDED', 'TERMINATED_EARLY'] as const;

export class ListDrugUserManagementsQueryDto {
  @ApiPropertyOptional({ example: '06793', description: 'Residence commune of the person; must be within your scope' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'communeCode must be 5 digits' })
  readonly communeCode?: string;

  @ApiPropertyOptional({ example: 'IN_PROGRESS', enum: LISTED_MANAGEMENT_STATUSES })
  @IsOptional()
  @IsIn(LISTED_MANAGEMENT_STATUSES)
  readonly status?: (typeof LISTED_MANAGEMENT_STATUSES)[number];

  @ApiPropertyOptional({ example: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  readonly page?: number;
}
