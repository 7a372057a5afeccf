import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsDisplayText } from '#common';
import type { LicenseLayout } from './license-type.entity.js';

/** A new license type, or a new version of one (GB/T 36902 证照类型元数据). */
export class LicenseTypeVersionDto {
  @ApiProperty({ example: '营业执照' }) @IsString() @Length(1, 100) @IsDisplayText() name: string;
  @ApiProperty({ example: '国家市场监督管理总局' })
  @IsString()
  @Length(1, 100)
  @IsDisplayText()
  definingAuthorityName: string;
  @ApiProperty({ example: '11100000000013338W', description: 'USCC of the defining authority' })
  @IsString()
  @Length(18, 18)
  definingAuthorityUscc: string;
  @ApiProperty({ enum: [1, 2], description: '1 natural person, 2 legal person / organisation' })
  @IsIn([1, 2])
  holderCategory: 1 | 2;
  @ApiProperty({ example: '市级', description: 'Level of the authorities that issue it' })
  @IsString()
  @Length(1, 20)
  issuingLevel: string;
  @ApiPropertyOptional({ example: '企业设立登记' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  serviceItem?: string;
  @ApiProperty({ description: 'JSON Schema (draft 2020-12 subset ajv supports) of the fields' })
  @IsObject()
  fieldsSchema: Record<string, unknown>;
  @ApiProperty({ nullable: true, description: 'Years of validity; null for long-term (长期)' })
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(100)
  validityYears: number | null;
  @ApiProperty({ description: 'Page, field, QR code and seal positions (PDF points)' })
  @IsObject()
  layout: LicenseLayout;
  @ApiPropertyOptional({ description: "A seal of its own; else the issuing authority's" })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  sealId?: string;
}

export class CreateLicenseTypeDto extends LicenseTypeVersionDto {
  @ApiProperty({
    example: '11100000000013338W011',
    description: 'GB/T 36902 type code: defining authority USCC + 3-digit sequence',
  })
  @Matches(/^[0-9A-Z]{18}[0-9]{3}$/)
  code: string;
}

export interface LicenseTypeView {
  id: string;
  code: string;
  version: number;
  name: string;
  definingAuthority: { name: string; uscc: string };
  holderCategory: 1 | 2;
  issuingLevel: string;
  serviceItem: string | null;
  fieldsSchema: Record<string, unknown>;
  validity: { years: number } | { longTerm: true };
  layout: LicenseLayout;
  sealId: string | null;
  createdAt: string;
}
