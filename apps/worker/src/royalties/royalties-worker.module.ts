import { Module } from '@nestjs/common';
import { RoyaltiesModule } from '@fairshare/royalties';
import { RoyaltyRunsProcessor } from './royalty-runs.processor';

@Module({
  imports: [RoyaltiesModule],
  providers: [RoyaltyRunsProcessor],
})
export class RoyaltiesWorkerModule {}
