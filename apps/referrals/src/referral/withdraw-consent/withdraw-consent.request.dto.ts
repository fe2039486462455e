import { ApiProperty } from '@nestjs/swagger';
import { IsCalendarDate } from '../referral.dto';

export class WithdrawConsentRequestDto {
  @ApiProperty({ example: '2026-11-25', description: 'The day the person withdrew consent, YYYY-MM-DD; not after today, not before the consent was recorded' })
  @IsCalendarDate('withdrawnOn')
  readonly withdrawnOn!: string;
}
