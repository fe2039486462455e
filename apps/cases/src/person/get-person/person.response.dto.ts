import { ApiProperty } from '@nestjs/swagger';

export class PersonResidenceResponseDto {
  @ApiProperty({ example: '22' }) readonly provinceCode!: string;
  @ApiProperty({ example: '06793' }) readonly communeCode!: string;
  @ApiProperty({ example: 'Tổ 3, khu 5', description: '`[erased]` after erasure' }) readonly address!: string;
}

export class PersonResponseDto {
  @ApiProperty({ example: '0190b0a4-3b1e-7cc1-9a5e-5b1f3f0c2d10' }) readonly id!: string;
  @ApiProperty({ example: 0 }) readonly version!: number;
  @ApiProperty({ example: false }) readonly erased!: boolean;
  @ApiProperty({ example: 'Nguyễn Văn An', description: '`[erased]` after erasure' }) readonly fullName!: string;
  @ApiProperty({ example: '022090001234', nullable: true, type: String }) readonly personalId!: string | null;
  @ApiProperty({ example: '1990-05-17' }) readonly dateOfBirth!: string;
  @ApiProperty({ example: 'MALE', enum: ['MALE', 'FEMALE'] }) readonly sex!: 'MALE' | 'FEMALE';
  @ApiProperty({ type: PersonResidenceResponseDto }) readonly residence!: PersonResidenceResponseDto;
  @ApiProperty({ example: '0912345678', nullable: true, type: String }) readonly phone!: string | null;
}
