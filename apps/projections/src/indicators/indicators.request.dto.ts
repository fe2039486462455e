import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import type { PeriodKind, UnitLevel } from './indicator-reader.port';

export const UNIT_LEVEL_VALUES = ['PROVINCE', 'DISTRICT', 'COMMUNE'] as const satisfies readonly UnitLevel[];
export const PERIOD_KIND_VALUES = ['MONTH', 'QUARTER', 'YEAR', 'PLAN'] as const satisfies readonly PeriodKind[];
export const PERIOD_LABEL = /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$|^(plan|PLAN)$/;
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

class UnitQueryDto {
  @ApiProperty({ example: '22', description: 'Province code; your jurisdiction must cover it' })
  @Matches(/^\d{2}$/, { message: 'provinceCode must be a province code of 2 digits' })
  readonly provinceCode!: string;

  @ApiPropertyOptional({ example: 'COMMUNE', enum: UNIT_LEVEL_VALUES, description: 'Default PROVINCE' })
  @IsOptional()
  @IsIn(UNIT_LEVEL_VALUES, { message: `unitLevel must be one of ${UNIT_LEVEL_VALUES.join(', ')}` })
  readonly unitLevel?: UnitLevel;

  @ApiPropertyOptional({
    example: '06793',
    description: 'One commune (5 digits) or former district (3 digits, see the README); every unit of the level when absent',
  })
  @IsOptional()
  @Matches(/^(\d{3}|\d{5})$/, { message: 'unitCode must be a district code of 3 digits or a commune code of 5' })
  readonly unitCode?: string;

  @ApiPropertyOptional({
    example: '0b6c1c8e-4a4e-4c59-9d51-3f0f5a8f1e2a',
    description: 'The plan whose targets stand beside the figures; the plan in force when absent',
  })
  @IsOptional()
  @IsUUID('all', { message: 'planId must be a UUID' })
  readonly planId?: string;
}

export class IndicatorsQueryDto extends UnitQueryDto {
  @ApiProperty({ example: '2022-Q3', description: 'A month `2022-07`, a quarter `2022-Q3`, a year `2022`, or `plan` (the plan’s whole period)' })
  @Matches(PERIOD_LABEL, { message: 'period must be a month YYYY-MM, a quarter YYYY-Qn, a year YYYY or plan' })
  readonly period!: string;

  @ApiPropertyOptional({ example: 'REHAB_ADMISSIONS,JOBS_PLACED', description: 'Indicator codes, comma-separated; all when absent' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((code) => code.trim()) : value))
  @ArrayMinSize(1, { message: 'codes must name at least one indicator code' })
  @ArrayMaxSize(50, { message: 'codes must name at most 50 indicator codes' })
  @Matches(/^[A-Z][A-Z0-9_]{0,79}$/, { each: true, message: 'codes must be indicator codes like REHAB_ADMISSIONS, comma-separated' })
  readonly codes?: string[];
}

export class IndicatorSeriesQueryDto extends UnitQueryDto {
  @ApiProperty({ example: 'MONTH', enum: PERIOD_KIND_VALUES })
  @IsIn(PERIOD_KIND_VALUES, { message: `periodKind must be one of ${PERIOD_KIND_VALUES.join(', ')}` })
  readonly periodKind!: PeriodKind;

  @ApiProperty({ example: '2022-01-01' })
  @Matches(DAY, { message: 'from must be a date YYYY-MM-DD' })
  readonly from!: string;

  @ApiProperty({ example: '2022-12-31' })
  @Matches(DAY, { message: 'to must be a date YYYY-MM-DD' })
  readonly to!: string;
}
