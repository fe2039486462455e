import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** A title and a text in one language (Vietnamese or simplified Chinese). */
export class LocalizedTextDto {
  @ApiProperty({ example: 'Biên bản hội đàm quý III/2020' })
  @IsString({ message: 'title must be text' })
  @MaxLength(300)
  readonly title!: string;

  @ApiProperty({ example: 'Hai bên thống nhất tăng cường tuần tra song phương.' })
  @IsString({ message: 'body must be text' })
  @MaxLength(20_000)
  readonly body!: string;
}
