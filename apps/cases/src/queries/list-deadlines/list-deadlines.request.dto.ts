import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class ListDeadlinesQueryDto {
  @ApiPropertyOptional({ example: '2027-01-31', description: 'Only deadlines due strictly before this day (YYYY-MM-DD)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueBefore must be a date YYYY-MM-DD' })
  readonly dueBefore?: string;

  @ApiPropertyOptional({ example: '06793', description: 'Residence commune of the person; must be within your scope' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'communeCode must be 5 digits' })
  readonly communeCode?: string;
}
