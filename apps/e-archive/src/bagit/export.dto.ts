import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
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
  @IsString()
  @Length(1, 200)
  purpose: string;
}
