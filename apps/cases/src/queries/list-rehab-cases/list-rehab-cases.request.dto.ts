import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { REHAB_CASE_TRANSITIONS, REHAB_FORMS, type RehabCaseStatus, type RehabForm } from '../../rehab-case/domain';

/** Every status a registered case can have: the decider's status graph, less NONE. */
export const LISTED_STATUSES = (Object.keys(REHAB_CASE_TRANSITIONS) as RehabCaseStatus[]).filter(
  (status): status is Exclude<RehabCaseStatus, 'NONE'> => status !== 'NONE',
);

export class ListRehabCasesQueryDto {
  @ApiPropertyOptional({ example: '06793', description: 'Residence commune of the person; must be within your scope' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'communeCode must be 5 digits' })
  readonly communeCode?: string;

  @ApiPropertyOptional({ example: 'IN_REHAB', enum: LISTED_STATUSES })
  @IsOptional()
  @IsIn(LISTED_STATUSES)
  readonly status?: Exclude<RehabCaseStatus, 'NONE'>;

  @ApiPropertyOptional({ example: 'VOLUNTARY_COMMUNITY', enum: REHAB_FORMS })
  @IsOptional()
  @IsIn(REHAB_FORMS)
  readonly form?: RehabForm;

  @ApiPropertyOptional({ example: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  readonly page?: number;
}
