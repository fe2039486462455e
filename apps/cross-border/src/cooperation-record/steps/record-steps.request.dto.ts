import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsCalendarDate } from '../../calendar-date';
import { LocalizedTextDto } from '../localized-text.dto';

export class AddTranslationRequestDto {
  @ApiProperty({ type: LocalizedTextDto, example: { title: '2020年第三季度会谈纪要', body: '双方同意加强边境联合巡逻。' } })
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  readonly zh!: LocalizedTextDto;

  @ApiProperty({ example: ['每月联合巡逻一次'], description: 'The Chinese wording of each agreed point of a meeting, in order (empty for other kinds)' })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true, message: 'agreedPointsZh must be a list of texts' })
  @MaxLength(1000, { each: true })
  readonly agreedPointsZh!: string[];

  @ApiProperty({ example: 'Hoàng Thị Mai (phiên dịch viên BĐBP tỉnh)', description: 'Who translated, as the minutes name them' })
  @IsString({ message: 'translator must be text' })
  @MinLength(1)
  @MaxLength(200)
  readonly translator!: string;
}

export class RecordReplyRequestDto {
  @ApiProperty({ example: '2020-06-10', description: 'The day the counterpart replied, YYYY-MM-DD' })
  @IsCalendarDate('receivedOn')
  readonly receivedOn!: string;
}

export class SealRecordRequestDto {
  @ApiProperty({ example: '2020-06-12', description: 'The day both sides signed, YYYY-MM-DD, not after today' })
  @IsCalendarDate('sealedOn')
  readonly sealedOn!: string;
}
