import { Module } from '@nestjs/common';
import { DatabaseModule } from '#database';
import { migrations } from './migrations/index.js';

@Module({
  imports: [DatabaseModule.forService({ schema: 'e_archive', entities: [], migrations })],
})
export class EArchiveModule {}
