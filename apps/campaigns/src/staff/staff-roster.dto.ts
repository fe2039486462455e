import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Matches, Max, Min } from 'class-validator';
import { IsCalendarDate } from '../calendar-date';
import { AGENCY_CODE } from '../plan/plan.dto';
import { STAFF_GROUPS, type StaffGroup } from './domain';

export class RegisterStaffRequestDto {
  @ApiProperty({ example: '22-REHAB_FACILITY-1', description: 'The agency of your province whose staff are counted' })
  @Matches(AGENCY_CODE, { message: 'agencyCode must be an agency code <province>-<TYPE>[-<n>]' })
  readonly agencyCode!: string;

  @ApiProperty({ example: 'REHAB_STAFF', enum: STAFF_GROUPS })
  @IsIn(STAFF_GROUPS, { message: `group must be one of ${STAFF_GROUPS.join(', ')}` })
  readonly group!: StaffGroup;

  @ApiProperty({ example: 52, description: 'How many staff of the group the agency has (a count, no names)' })
  @IsInt({ message: 'headcount must be a whole number' })
  @Min(0)
  @Max(100_000)
  readonly headcount!: number;

  @ApiProperty({ example: '2022-01-01', description: 'The day the count holds from' })
  @IsCalendarDate('asOf')
  readonly asOf!: string;
}

export class ChangeHeadcountRequestDto {
  @ApiProperty({ example: 58 })
  @IsInt({ message: 'headcount must be a whole number' })
  @Min(0)
  @Max(100_000)
  readonly headcount!: number;

  @ApiProperty({ example: '2022-07-01', description: 'After the last count; it holds from that day' })
  @IsCalendarDate('asOf')
  readonly asOf!: string;
}
