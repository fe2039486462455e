import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '@haidang/service-kit';
import { IsCalendarDate } from '../calendar-date';
import { PROVIDER_KINDS, SECTORS, type ProviderKind, type Sector } from '../registers/domain';

export class ListFollowUpsQueryDto {
  @ApiProperty({ example: '2027-03-31', description: 'Follow-ups due on or before this day (YYYY-MM-DD), overdue ones included' })
  @IsCalendarDate('dueBefore')
  readonly dueBefore!: string;

  @ApiPropertyOptional({ example: '06793', description: 'Only follow-ups of records in this commune; it must be within your scope' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode?: string;
}

export const REGISTER_STATUSES = ['ACTIVE', 'CLOSED'] as const;

/** The registers are the province's: a commune given only narrows the list. */
class RegisterPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'ACTIVE', enum: REGISTER_STATUSES })
  @IsOptional()
  @IsIn(REGISTER_STATUSES, { message: `status must be one of ${REGISTER_STATUSES.join(', ')}` })
  readonly status?: (typeof REGISTER_STATUSES)[number];

  @ApiPropertyOptional({ example: '06793' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'communeCode must be a commune code of 5 digits' })
  readonly communeCode?: string;
}

export class ListTrainingProvidersQueryDto extends RegisterPageQueryDto {
  @ApiPropertyOptional({ example: 'VOCATIONAL_SCHOOL', enum: PROVIDER_KINDS })
  @IsOptional()
  @IsIn(PROVIDER_KINDS, { message: `kind must be one of ${PROVIDER_KINDS.join(', ')}` })
  readonly kind?: ProviderKind;
}

export class ListEmployersQueryDto extends RegisterPageQueryDto {
  @ApiPropertyOptional({ example: 'MINING', enum: SECTORS })
  @IsOptional()
  @IsIn(SECTORS, { message: `sector must be one of ${SECTORS.join(', ')}` })
  readonly sector?: Sector;
}
