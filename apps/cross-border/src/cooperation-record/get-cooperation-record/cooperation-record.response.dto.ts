import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A record as its province's officers see it: content in both languages, status, seal; persons only to those handling them. */
export class CooperationRecordResponseDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10' }) readonly id!: string;
  @ApiProperty({ example: 0, description: 'Also the `ETag`: send it as `If-Match` to change the record' }) readonly version!: number;
  @ApiProperty({ example: 'OPEN', enum: ['OPEN', 'SEALED'] }) readonly status!: string;
  @ApiProperty({ example: 'HANDOVER' }) readonly kind!: string;
  @ApiProperty({ example: '20' }) readonly provinceCode!: string;
  @ApiProperty({ example: '2020-06-12' }) readonly occurredOn!: string;
  @ApiPropertyOptional({ example: 'LS-HUU-NGHI', nullable: true }) readonly crossingCode!: string | null;
  @ApiProperty({ example: ['GX-PX-PSB'] }) readonly counterpartCodes!: readonly string[];
  @ApiProperty({ example: { title: 'Biên bản bàn giao', body: 'Phía Trung Quốc bàn giao 02 nạn nhân.' } }) readonly vi!: object;
  @ApiPropertyOptional({ example: { title: '移交纪要', body: '中方向越方移交被拐卖受害人2名。' }, nullable: true }) readonly zh!: object | null;
  @ApiPropertyOptional({ example: 'Hoàng Thị Mai', nullable: true }) readonly translator!: string | null;
  @ApiProperty({ example: { kind: 'HANDOVER', direction: 'RECEIVED_FROM_CHINA', category: 'TRAFFICKING_VICTIM', count: 2 } }) readonly details!: object;
  @ApiPropertyOptional({ nullable: true }) readonly corrects!: string | null;
  @ApiPropertyOptional({ nullable: true, example: null }) readonly replyReceivedOn!: string | null;
  @ApiPropertyOptional({ nullable: true, example: { sealedOn: '2020-06-12', contentHash: '9f2c…' } }) readonly seal!: object | null;
  @ApiPropertyOptional({
    nullable: true,
    description: 'Handovers: the persons named, only for the agencies handling them; otherwise null ("[erased]" once shredded)',
  })
  readonly persons!: unknown;
}
