import { ApiProperty } from '@nestjs/swagger';
import { IsDateString, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsDisplayText } from '#common';

export class CreateGrantDto {
  @ApiProperty() @IsUUID() licenseId: string;
  @ApiProperty({ example: 'demo-business', description: 'The business system (OIDC client id)' })
  @Matches(/^[A-Za-z0-9._:-]{1,100}$/)
  clientId: string;
  @ApiProperty({ example: '办理公积金提取' })
  @IsString()
  @Length(1, 200)
  @IsDisplayText()
  purpose: string;
  @ApiProperty({ example: '2027-01-31T00:00:00+08:00' })
  @IsDateString()
  validUntil: string;
}

export class CreateCopyDto {
  @ApiProperty({ example: '子女入学' }) @IsString() @Length(1, 60) @IsDisplayText() purpose: string;
  @ApiProperty({ example: '福州市鼓楼区教育局' })
  @IsString()
  @Length(1, 60)
  @IsDisplayText()
  recipient: string;
  @ApiProperty({ example: '2027-01-31' })
  @IsDateString({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  validUntil: string;
}
