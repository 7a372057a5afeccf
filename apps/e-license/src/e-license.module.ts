import { Module } from '@nestjs/common';
import { DatabaseModule } from '#database';
import { migrations } from './migrations/index.js';

@Module({
  imports: [DatabaseModule.forService({ schema: 'e_license', entities: [], migrations })],
})
export class ELicenseModule {}
