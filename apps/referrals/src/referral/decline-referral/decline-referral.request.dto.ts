import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DECLINE_REASONS, type DeclineReason } from '../domain';
import { IsFreeText } from '../referral.dto';

export class DeclineReferralRequestDto {
  @ApiProperty({ example: 'NO_CAPACITY', enum: DECLINE_REASONS, description: 'Why you decline, as a code' })
  @IsIn(DECLINE_REASONS, { message: `reason must be one of ${DECLINE_REASONS.join(', ')}` })
  readonly reason!: DeclineReason;

  @ApiPropertyOptional({ example: 'No places in the December vocational course.', description: 'Required for OTHER. Encrypted; never shown in the history' })
  @IsOptional()
  @IsFreeText()
  readonly note?: string;
}
