import { Module } from '@nestjs/common';
import { AppConfig } from '@fairshare/config';
import { RoyaltyClaimsModule } from '@fairshare/royalties';
import {
  CatalogueRepository,
  ConsentRepository,
  CreatorRepository,
  HolderInvitationRepository,
  OfferRepository,
  SplitRepository,
  UserRepository,
  WorkRepository,
  WorkSearchRepository,
  WorksImportRepository,
} from '@fairshare/persistence';
import { CatalogueService } from './catalogue.service';
import { ConsentService } from './consent.service';
import { CreatorProfileService } from './creator-profile.service';
import { DisputeService } from './dispute.service';
import { SplitService } from './split.service';
import { CONTENT_STORAGE } from './storage/content-storage';
import { LocalContentStorage } from './storage/local-content-storage';
import { TermsService } from './terms.service';
import { WorkSearchService } from './work-search.service';
import { WorkService } from './work.service';
import { WorksImportService } from './works-import.service';

const REPOSITORIES = [
  CreatorRepository,
  CatalogueRepository,
  WorkRepository,
  WorkSearchRepository,
  ConsentRepository,
  SplitRepository,
  HolderInvitationRepository,
  WorksImportRepository,
  UserRepository,
  OfferRepository,
];

/** The catalogue area: creators, catalogues, works, consent, splits, disputes, imports, terms. */
@Module({
  imports: [RoyaltyClaimsModule],
  providers: [
    ...REPOSITORIES,
    { provide: CONTENT_STORAGE, inject: [AppConfig], useFactory: (c: AppConfig) => new LocalContentStorage(c.STORAGE_DIR) },
    CreatorProfileService,
    CatalogueService,
    WorkService,
    ConsentService,
    SplitService,
    DisputeService,
    WorkSearchService,
    WorksImportService,
    TermsService,
  ],
  exports: [
    CONTENT_STORAGE,
    WorkRepository,
    SplitRepository,
    ConsentRepository,
    CreatorProfileService,
    CatalogueService,
    WorkService,
    ConsentService,
    SplitService,
    DisputeService,
    WorkSearchService,
    WorksImportService,
    TermsService,
  ],
})
export class CatalogueModule {}
