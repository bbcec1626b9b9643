import { Module } from '@nestjs/common';
import { CatalogueModule } from '@fairshare/catalogue';
import { CatalogueController } from './catalogue.controller';
import { CreatorProfileController } from './creator-profile.controller';
import { DisputeController } from './dispute.controller';
import { TdmRepController } from './tdmrep.controller';
import { HolderInvitationController, WorkController } from './work.controller';
import { WorksImportController } from './works-import.controller';

@Module({
  imports: [CatalogueModule],
  controllers: [CreatorProfileController, CatalogueController, WorkController, HolderInvitationController, WorksImportController, DisputeController, TdmRepController],
})
export class CatalogueApiModule {}
