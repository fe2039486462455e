import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { COMPLETION_OUTCOMES, type CompletionOutcome } from '../domain';
import { IsFreeText } from '../referral.dto';

export class CompleteReferralRequestDto {
  @ApiProperty({ example: 'SERVICE_PROVIDED', enum: COMPLETION_OUTCOMES })
  @IsIn(COMPLETION_OUTCOMES, { message: `outcome must be one of ${COMPLETION_OUTCOMES.join(', ')}` })
  readonly outcome!: CompletionOutcome;

  @ApiPropertyOptional({ example: 'Placed as a machine operator; 3-month contract.', description: 'Encrypted; never shown in the history' })
  @IsOptional()
  @IsFreeText()
  readonly note?: string;
}
