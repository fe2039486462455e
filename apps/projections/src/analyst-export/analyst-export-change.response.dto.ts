import { ApiProperty } from '@nestjs/swagger';

/** What a registration or a change answers; the version is also the `ETag`. */
export class AnalystExportChangeResponseDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10' }) readonly id!: string;
  @ApiProperty({ example: 1, description: 'The new version; also in `ETag`' }) readonly version!: number;
}
