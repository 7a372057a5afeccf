import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { IsDisplayText } from '#common';

export class CreateIssuingAuthorityDto {
  @ApiProperty({ example: '福州市市场监督管理局' })
  @IsString()
  @Length(1, 100)
  @IsDisplayText()
  name: string;
  @ApiProperty({ example: '11350100MB0000000X', description: 'Unified social credit code' })
  @IsString()
  @Length(18, 18)
  uscc: string;
  @ApiProperty({ example: '350100', description: 'GB/T 2260 division code' })
  @Matches(/^[0-9]{6}$/)
  regionCode: string;
  @ApiProperty({ example: '市级' }) @IsString() @Length(1, 20) level: string;
  @ApiProperty({ description: 'The e-seal seal id it issues with' })
  @IsString()
  @Length(1, 100)
  sealId: string;
}

export interface IssuingAuthorityView {
  uscc: string;
  name: string;
  regionCode: string;
  level: string;
  sealId: string;
}
