import { Module } from '@nestjs/common';
import { RoyaltiesModule } from '@fairshare/royalties';
import { RoyaltyRunsController } from './royalty-runs.controller';
import { StatementsController } from './statements.controller';

@Module({
  imports: [RoyaltiesModule],
  controllers: [RoyaltyRunsController, StatementsController],
})
export class RoyaltiesApiModule {}
