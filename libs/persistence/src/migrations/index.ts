import { Foundation1763700000000 } from './1763700000000-foundation';
import { Catalogue1763800000000 } from './1763800000000-catalogue';
import { CatalogueSearch1763800050000 } from './1763800050000-catalogue-search';
import { Ledger1763850000000 } from './1763850000000-ledger';
import { Licensing1763900000000 } from './1763900000000-licensing';
import { Usage1764000000000 } from './1764000000000-usage';
import { UsageStagingPerRun1764000010000 } from './1764000010000-usage-staging-per-run';
import { Royalties1764100000000 } from './1764100000000-royalties';
import { Payouts1764200000000 } from './1764200000000-payouts';
import { TypeormMetadata1764300000000 } from './1764300000000-typeorm-metadata';
import { UsageStagingGroups1764310000000 } from './1764310000000-usage-staging-groups';
import { UsageAggregatesReportCheck1764320000000 } from './1764320000000-usage-aggregates-report-check';
import { RoyaltyWorkRanges1764400000000 } from './1764400000000-royalty-work-ranges';
import { WorksListedFilters1764500000000 } from './1764500000000-works-listed-filters';

/** Every migration, oldest first. Never edit a committed migration: add a new one. */
export const MIGRATIONS = [Foundation1763700000000, Catalogue1763800000000, CatalogueSearch1763800050000, Ledger1763850000000, Licensing1763900000000, Usage1764000000000, UsageStagingPerRun1764000010000, Royalties1764100000000, Payouts1764200000000, TypeormMetadata1764300000000, UsageStagingGroups1764310000000, UsageAggregatesReportCheck1764320000000, RoyaltyWorkRanges1764400000000, WorksListedFilters1764500000000];
