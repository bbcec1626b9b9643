import { ApiKeyEntity } from './identity/api-key.entity';
import { OrganisationEntity } from './identity/organisation.entity';
import { RefreshTokenEntity } from './identity/refresh-token.entity';
import { UserEntity } from './identity/user.entity';
import { JournalEntryEntity } from './ledger/journal-entry.entity';
import { PostingEntity } from './ledger/posting.entity';

/** Every entity of the schema, one line per area file (keep the list sorted by area). */
export const ENTITIES = [
  // identity
  OrganisationEntity,
  UserEntity,
  RefreshTokenEntity,
  ApiKeyEntity,
  // ledger
  JournalEntryEntity,
  PostingEntity,
];
