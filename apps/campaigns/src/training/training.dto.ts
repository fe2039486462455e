import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsCalendarDate } from '../calendar-date';
import { TRAINEE_GROUPS, type TraineeGroup } from './domain';

export class ParticipantsDto {
  @ApiProperty({ example: 'REHAB_STAFF', enum: TRAINEE_GROUPS })
  @IsIn(TRAINEE_GROUPS)
  readonly group!: TraineeGroup;

  @ApiProperty({ example: 42 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  readonly count!: number;
}

export class RecordTrainingRequestDto {
  @ApiProperty({ example: '2022-08-10' })
  @IsCalendarDate('heldOn')
  readonly heldOn!: string;

  @ApiProperty({ example: 'Quản lý sau cai nghiện theo Luật Phòng, chống ma túy 2021' })
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  readonly topic!: string;

  @ApiProperty({ type: [ParticipantsDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ParticipantsDto)
  readonly participants!: ParticipantsDto[];

  @ApiPropertyOptional({ nullable: true, example: null })
  @IsOptional()
  @IsUUID()
  readonly planId?: string | null;
}
