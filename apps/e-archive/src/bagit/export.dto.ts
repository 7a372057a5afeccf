import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Length,
} from 'class-validator';

export class ExportRequest {
  @ApiProperty({ type: [String], description: 'Ids of the records to put in the bag' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  recordIds: string[];

  @ApiProperty({ description: 'The purpose of the export (利用目的), logged', example: '移交进馆' })
  // Required, but checked by the service: a missing purpose answers ArchivePurposeRequired.
  @IsOptional()
  @IsString()
  @Length(1, 200)
  purpose?: string;
}
