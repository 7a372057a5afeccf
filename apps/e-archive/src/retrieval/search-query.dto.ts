import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { RETENTIONS, type Retention } from '../archival-code.js';

/** Search of archival records (检索): every given condition must hold. */
export class SearchQuery {
  @ApiPropertyOptional({ description: '题名 title words, Chinese or Latin', example: '营商环境' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ description: '全宗号 fonds code', example: 'J001' })
  @IsOptional()
  @IsString()
  @Length(1, 4)
  fondsCode?: string;

  @ApiPropertyOptional({ description: '文号 document number (exact)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  documentNumber?: string;

  @ApiPropertyOptional({ description: '责任者 creator (exact)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  creator?: string;

  @ApiPropertyOptional({ description: '年度 year' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(9999)
  year?: number;

  @ApiPropertyOptional({ description: 'Date from (YYYY-MM-DD, inclusive)' })
  @IsOptional()
  @IsDateString({ strict: true })
  dateFrom?: string;

  @ApiPropertyOptional({ description: 'Date to (YYYY-MM-DD, inclusive)' })
  @IsOptional()
  @IsDateString({ strict: true })
  dateTo?: string;

  @ApiPropertyOptional({ enum: RETENTIONS, description: '保管期限 retention' })
  @IsOptional()
  @IsIn(RETENTIONS)
  retention?: Retention;

  @ApiPropertyOptional({ description: 'Also list disposed records (tombstones)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeDisposed?: 'true' | 'false';

  @ApiProperty({ description: 'The purpose of the search (利用目的), required and logged' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  purpose?: string;

  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000)
  offset?: number;
}

export class PurposeQuery {
  @ApiProperty({ description: 'The purpose of this use (利用目的), required and logged' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  purpose?: string;
}
