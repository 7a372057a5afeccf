import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBase64,
  IsDateString,
  IsEnum,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsDisplayText } from '#common';
import { SealStatus, SealType } from './seal-lifecycle.js';

export class ApplySealDto {
  @ApiProperty({ description: 'Owner organisation unified social credit code (GB 32100)' })
  @Matches(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/)
  ownerUscc: string;

  @ApiProperty({ example: '某某市市场监督管理局' })
  @IsString()
  @Length(2, 60)
  @IsDisplayText()
  ownerName: string;

  @ApiProperty({ example: '某某市市场监督管理局行政审批专用章' })
  @IsString()
  @Length(2, 60)
  @IsDisplayText()
  name: string;

  @ApiProperty({ enum: SealType })
  @IsEnum(SealType)
  type: SealType;

  @ApiProperty({ description: 'Start of validity (ISO 8601)' })
  @IsDateString()
  validFrom: string;

  @ApiProperty({ description: 'End of validity (ISO 8601)' })
  @IsDateString()
  validTo: string;

  @ApiPropertyOptional({ description: 'PNG image, base64; omitted: the generated round seal' })
  @IsOptional()
  @IsBase64()
  @MaxLength(2_000_000)
  imagePng?: string;

  @ApiPropertyOptional({ description: 'Business systems (client ids) that may use the seal' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/^[A-Za-z0-9._:-]{1,100}$/, { each: true })
  allowedClients?: string[];
}

export class SealActionDto {
  @ApiPropertyOptional({ description: 'Why (kept with the lifecycle event)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class AllowedClientsDto {
  @ApiProperty()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[A-Za-z0-9._:-]{1,100}$/, { each: true })
  allowedClients: string[];
}

export class StatusQueryDto {
  @ApiPropertyOptional({ description: 'The time asked about (ISO 8601); default now' })
  @IsOptional()
  @IsISO8601()
  at?: string;
}

export class SealView {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() ownerUscc: string;
  @ApiProperty() ownerName: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: SealType }) type: SealType;
  @ApiProperty({ enum: SealStatus }) status: SealStatus;
  @ApiProperty() validFrom: string;
  @ApiProperty() validTo: string;
  @ApiProperty({ enum: ['generated', 'png'] }) image: 'generated' | 'png';
  @ApiProperty() allowedClients: string[];
  @ApiPropertyOptional() certificateSerial?: string;
  @ApiPropertyOptional() certificatePem?: string;
}
