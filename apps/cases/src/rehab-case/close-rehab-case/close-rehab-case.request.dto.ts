import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { IsCalendarDate } from '../legal-basis.dto';

export class CloseRehabCaseRequestDto {
  @ApiProperty({ example: '2027-11-06', description: 'Date the case is closed, YYYY-MM-DD' })
  @IsCalendarDate('closedOn')
  readonly closedOn!: string;

  @ApiPropertyOptional({
    example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d12',
    description:
      'Required for a case found "not addicted": the management of the illegal drug user decided for the person (POST /api/v1/drug-user-managements)',
  })
  @IsOptional()
  @IsUUID()
  readonly drugUserManagementId?: string;
}
