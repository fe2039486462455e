import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsFreeText } from '../referral.dto';

export class WithdrawReferralRequestDto {
  @ApiPropertyOptional({ example: 'The person moved to another province.', description: 'Encrypted; never shown in the history' })
  @IsOptional()
  @IsFreeText()
  readonly note?: string;
}
