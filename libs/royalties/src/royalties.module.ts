import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { LedgerModule } from '@fairshare/ledger';
import { RoyaltyComputationRepository, RoyaltyRunRepository, RoyaltyStatementRepository } from '@fairshare/persistence';
import { RoyaltyClaimsService } from './royalty-claims.service';
import { ROYALTY_FLOW_PRODUCER, RoyaltyComputeService } from './royalty-compute.service';
import { RoyaltyRunService } from './royalty-run.service';
import { RoyaltyStatementService } from './royalty-statement.service';

/** Royalty runs, statements and claims (API and worker alike). */
@Module({
  imports: [LedgerModule, BullModule.registerFlowProducer({ name: ROYALTY_FLOW_PRODUCER })],
  providers: [RoyaltyRunRepository, RoyaltyComputationRepository, RoyaltyStatementRepository, RoyaltyRunService, RoyaltyComputeService, RoyaltyStatementService, RoyaltyClaimsService],
  exports: [RoyaltyRunService, RoyaltyComputeService, RoyaltyStatementService, RoyaltyClaimsService],
})
export class RoyaltiesModule {}

/** Only the claim of an invitation's unclaimed royalties (for the catalogue's acceptance). */
@Module({
  imports: [LedgerModule],
  providers: [RoyaltyClaimsService],
  exports: [RoyaltyClaimsService],
})
export class RoyaltyClaimsModule {}
