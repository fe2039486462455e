import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * A record as the officer sees it: ids, codes and dates. The free text (skills, preferences, notes)
 * and certificate numbers stay encrypted in the log and are never answered.
 */
export class EmploymentRecordResponseDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10' }) readonly id!: string;
  @ApiProperty({ example: 0, description: 'Also the `ETag`: send it as `If-Match` to change the record' }) readonly version!: number;
  @ApiProperty({ example: 'OPEN', enum: ['OPEN', 'CLOSED'] }) readonly status!: string;
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d20' }) readonly personId!: string | null;
  @ApiPropertyOptional({ example: '06793', nullable: true, description: 'Null until known for a record opened from a referral' }) readonly communeCode!:
    string | null;
  @ApiProperty({ example: '22' }) readonly provinceCode!: string | null;
  @ApiProperty({ example: '2026-08-03' }) readonly openedOn!: string | null;
  @ApiProperty({ example: 'WANTS_WORK' }) readonly need!: string | null;
  @ApiPropertyOptional({ example: null, nullable: true }) readonly referral!: { referralId: string; serviceType: string; outcome: string | null } | null;
  @ApiProperty({ example: [] }) readonly counsellingSessions!: readonly string[];
  @ApiProperty({ example: [] }) readonly enrolments!: readonly Record<string, unknown>[];
  @ApiProperty({ example: [] }) readonly placements!: readonly Record<string, unknown>[];
  @ApiPropertyOptional({ example: null, nullable: true }) readonly closedOn!: string | null;
  @ApiPropertyOptional({ example: null, nullable: true }) readonly outcome!: string | null;
}
