import { ApiKeyEntity } from './identity/api-key.entity';
import { OrganisationEntity } from './identity/organisation.entity';
import { RefreshTokenEntity } from './identity/refresh-token.entity';
import { UserEntity } from './identity/user.entity';
import { CatalogueEntity } from './catalogue/catalogue.entity';
import { ConsentRecordEntity } from './catalogue/consent-record.entity';
import { CreatorEntity } from './catalogue/creator.entity';
import { WorkEntity } from './catalogue/work.entity';
import { WorksImportEntity } from './catalogue/works-import.entity';
import { JournalEntryEntity } from './ledger/journal-entry.entity';
import { PostingEntity } from './ledger/posting.entity';
import { PayoutAccountEntity } from './payouts/payout-account.entity';
import { PayoutItemEntity } from './payouts/payout-item.entity';
import { PayoutRunEntity } from './payouts/payout-run.entity';

/** Every entity of the schema, one line per area file (keep the list sorted by area). */
export const ENTITIES = [
  // identity
  OrganisationEntity,
  UserEntity,
  RefreshTokenEntity,
  ApiKeyEntity,
  // catalogue
  CreatorEntity,
  CatalogueEntity,
  WorkEntity,
  ConsentRecordEntity,
  WorksImportEntity,
  // ledger
  JournalEntryEntity,
  PostingEntity,
  // payouts
  PayoutAccountEntity,
  PayoutRunEntity,
  PayoutItemEntity,
];
