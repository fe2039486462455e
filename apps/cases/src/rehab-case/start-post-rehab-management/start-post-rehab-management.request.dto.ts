import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { IsCalendarDate, LegalBasisDto } from '../legal-basis.dto';

export class StartPostRehabManagementRequestDto {
  @ApiProperty({ type: LegalBasisDto, description: 'The commune chair decision on post-rehab management; its date selects the law' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => LegalBasisDto)
  readonly legalBasis!: LegalBasisDto;

  @ApiProperty({ example: '2026-11-06', description: 'First day of management at the place of residence, YYYY-MM-DD' })
  @IsCalendarDate('startedOn')
  readonly startedOn!: string;

  @ApiProperty({ example: 12, description: 'Term in months (the law allows 12)' })
  @IsInt()
  @Min(1)
  @Max(60)
  readonly termMonths!: number;
}
