import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A record as the officer sees it: place, status and dates. Never the note (personal, encrypted). */
export class AnalystExportResponseDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10' }) readonly id!: string;
  @ApiProperty({ example: 0, description: 'Also the `ETag`: send it as `If-Match` to change the record' }) readonly version!: number;
  @ApiProperty({ example: 'OPEN', enum: ['OPEN', 'CLOSED'] }) readonly status!: string;
  @ApiProperty({ example: '06793' }) readonly communeCode!: string | null;
  @ApiProperty({ example: '22' }) readonly provinceCode!: string | null;
  @ApiProperty({ example: '2026-08-03' }) readonly registeredOn!: string | null;
  @ApiPropertyOptional({ example: null, nullable: true }) readonly closedOn!: string | null;
  @ApiPropertyOptional({ example: null, nullable: true }) readonly outcome!: string | null;
}
