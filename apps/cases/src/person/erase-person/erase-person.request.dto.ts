import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class ErasePersonRequestDto {
  @ApiProperty({ example: 'DP-2026-004', description: 'Reference of the erasure request or its legal basis: a code, never a description of the person' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._/-]{1,63}$/, { message: 'reference must be a code of 2–64 letters, digits, . _ / -' })
  readonly reference!: string;
}
