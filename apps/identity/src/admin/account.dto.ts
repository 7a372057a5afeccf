import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsArray,
  IsBoolean,
  IsDateString,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsDisplayText } from '#common';
import { ID_TYPES } from '../accounts/account.service.js';

export class PersonDto {
  @ApiProperty({ example: '王小明' })
  @IsString()
  @MaxLength(100)
  @IsDisplayText()
  name!: string;

  @ApiPropertyOptional({ example: 'wangxm' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9._-]{2,31}$/)
  username?: string;

  @ApiPropertyOptional({ enum: Object.keys(ID_TYPES), description: '111 = resident ID card' })
  @IsOptional()
  @IsIn(Object.keys(ID_TYPES))
  idType?: keyof typeof ID_TYPES;

  @ApiPropertyOptional({ description: 'Checked by its check digit (GB 11643) for type 111' })
  @IsOptional()
  @IsString()
  idNumber?: string;

  @ApiPropertyOptional({ example: '13800138000' }) @IsOptional() @IsString() phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;

  @ApiPropertyOptional({ description: 'At least 10 characters; stored as Argon2id' })
  @IsOptional()
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  password?: string;
}

export class PersonPatchDto {
  @ApiPropertyOptional({ description: 'A disabled person cannot sign in' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ example: '王小明' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @IsDisplayText()
  name?: string;

  @ApiPropertyOptional({ example: '13800138000' }) @IsOptional() @IsString() phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;

  @ApiPropertyOptional({
    description: 'Refused with 400 IdNumberImmutable: disable the account and create a new one',
  })
  @IsOptional()
  @IsString()
  idNumber?: string;

  @ApiPropertyOptional({ description: 'Refused with 400 IdNumberImmutable, as idNumber' })
  @IsOptional()
  @IsString()
  idType?: string;
}

export class OrganisationDto {
  @ApiProperty({
    example: '91110105MA0000001X',
    description: 'GB 32100 unified social credit code',
  })
  @IsString()
  uscc!: string;

  @ApiProperty({ example: '示例科技有限公司' })
  @IsString()
  @MaxLength(200)
  @IsDisplayText()
  name!: string;

  @ApiProperty({ example: '张三' })
  @IsString()
  @MaxLength(100)
  @IsDisplayText()
  legalRepresentativeName!: string;

  @ApiPropertyOptional({ description: 'The legal representative as a person of this service' })
  @IsOptional()
  @IsUUID()
  legalRepresentativeId?: string;

  @ApiPropertyOptional({
    description:
      "The legal representative's ID number as registered: the person signed in with it " +
      "manages the organisation's agents on /identity/account",
  })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  legalRepresentativeIdNumber?: string;

  @ApiPropertyOptional({ enum: Object.keys(ID_TYPES), description: 'Default 111' })
  @IsOptional()
  @IsIn(Object.keys(ID_TYPES))
  legalRepresentativeIdType?: keyof typeof ID_TYPES;
}

/** 精准授权: every matter (no list) or the named matters (role names), until a date. */
export class AgentDto {
  @ApiProperty() @IsUUID() personId!: string;

  @ApiPropertyOptional({ type: [String], example: ['seal:apply'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  matters?: string[];

  @ApiPropertyOptional({ example: '2026-12-31T23:59:59+08:00' })
  @IsOptional()
  @IsDateString()
  validUntil?: string;
}

export class RoleDto {
  @ApiProperty({ enum: ['person', 'client'] })
  @IsIn(['person', 'client'])
  principalType!: 'person' | 'client';

  @ApiProperty({ description: 'Person id or client id' }) @IsString() principalId!: string;
  @ApiProperty({ example: 'license:issue' }) @IsString() role!: string;

  @ApiProperty({ example: '11110105MB0000002F', description: 'USCC, fonds code or *' })
  @IsString()
  @MaxLength(64)
  unit!: string;

  @ApiPropertyOptional({ description: 'For an agent: the organisation the role is held for' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}

export class RotationDto {
  @ApiProperty({ enum: ['RS256', 'ES256'] }) @IsIn(['RS256', 'ES256']) alg!: 'RS256' | 'ES256';
}
