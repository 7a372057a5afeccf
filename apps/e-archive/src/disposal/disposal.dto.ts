import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';

export class ProposeDisposal {
  @ApiProperty()
  @IsUUID()
  recordId: string;

  @ApiProperty({ description: '鉴定意见 why the record may be destroyed' })
  @IsString()
  @Length(1, 1000)
  reason: string;
}

export class DisposalListQuery {
  @ApiPropertyOptional({ enum: ['proposed', 'approved', 'rejected'] })
  @IsOptional()
  @IsIn(['proposed', 'approved', 'rejected'])
  status?: 'proposed' | 'approved' | 'rejected';
}

export class CandidatesQuery {
  @ApiPropertyOptional({ description: '全宗号 fonds code' })
  @IsOptional()
  @IsString()
  @Length(1, 4)
  fondsCode?: string;
}
