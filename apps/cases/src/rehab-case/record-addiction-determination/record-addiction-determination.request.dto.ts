import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { ADDICTION_RESULTS, type AddictionResult } from '../domain';
import { FACILITY_ID, IsCalendarDate } from '../legal-basis.dto';

export class RecordAddictionDeterminationRequestDto {
  @ApiProperty({ example: '2026-08-04', description: 'Date of the determination, YYYY-MM-DD' })
  @IsCalendarDate('determinedOn')
  readonly determinedOn!: string;

  @ApiProperty({ example: 'QN-TTYT-HL', description: 'Code of the facility that made the determination' })
  @Matches(FACILITY_ID, { message: 'facilityId must be a facility code' })
  readonly facilityId!: string;

  @ApiProperty({ example: 'ADDICTED', enum: ADDICTION_RESULTS })
  @IsIn(ADDICTION_RESULTS)
  readonly result!: AddictionResult;
}
