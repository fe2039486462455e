import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { REFERRAL_TRANSITIONS, type ReferralStatus } from '../../referral/domain';

/** Every status a referral can have: the decider's status graph, less NONE. */
export const LISTED_STATUSES = (Object.keys(REFERRAL_TRANSITIONS) as ReferralStatus[]).filter((s): s is Exclude<ReferralStatus, 'NONE'> => s !== 'NONE');
export const DIRECTIONS = ['incoming', 'outgoing'] as const;

export class ListReferralsQueryDto {
  @ApiProperty({
    example: 'incoming',
    enum: DIRECTIONS,
    description: 'incoming: your agency is the current receiver; outgoing: your agency sent it (drafts included)',
  })
  @IsIn(DIRECTIONS)
  readonly direction!: (typeof DIRECTIONS)[number];

  @ApiPropertyOptional({ example: 'SENT', enum: LISTED_STATUSES })
  @IsOptional()
  @IsIn(LISTED_STATUSES)
  readonly status?: Exclude<ReferralStatus, 'NONE'>;

  @ApiPropertyOptional({ example: true, description: 'Only (true) or no (false) referrals still waiting after their due date' })
  @IsOptional()
  // Query strings are text: only the words true and false are accepted.
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  readonly overdue?: boolean;

  @ApiPropertyOptional({ example: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  readonly page?: number;
}
