import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDateString,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsDisplayText } from '#common';

export class HolderDto {
  @ApiProperty({ example: '张小三' }) @IsString() @Length(1, 100) @IsDisplayText() name: string;
  @ApiProperty({ example: '111', description: '111 resident ID, 001 USCC, 414 passport, ...' })
  @Matches(/^[0-9]{3}$/)
  codeType: string;
  @ApiProperty({ example: '11010519491231002X' }) @IsString() @Length(1, 40) code: string;
}

export class IssueLicenseDto {
  @ApiProperty({ example: '11350000MB0000027H001' }) @IsString() @Length(1, 21) typeCode: string;
  @ApiProperty({ example: '11350100MB0000019U', description: 'The issuing authority' })
  @IsString()
  @Length(18, 18)
  issuerUscc: string;
  @ApiProperty({ type: HolderDto }) @ValidateNested() @Type(() => HolderDto) holder: HolderDto;
  @ApiProperty({ description: "The license's fields, checked against the type's JSON Schema" })
  @IsObject()
  fields: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Start of validity (default: today, China time)' })
  @IsOptional()
  @IsDateString({ strict: true })
  validFrom?: string;
}

export class ChangeLicenseDto {
  @ApiProperty() @IsString() @Length(1, 500) reason: string;
  @ApiPropertyOptional({ description: 'New fields (all of them); default: unchanged' })
  @IsOptional()
  @IsObject()
  fields?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'New holder name (e.g. a company renamed)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  holderName?: string;
}

export class RenewLicenseDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 500) reason?: string;
  @ApiPropertyOptional({ description: 'Years of the new validity (default: the type rule)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  years?: number;
}

export class LifecycleReasonDto {
  @ApiProperty({ description: 'Why (recorded in the event and shown to verifiers as a category)' })
  @IsString()
  @Length(1, 500)
  reason: string;
}
