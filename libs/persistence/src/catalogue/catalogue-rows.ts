import type { MediaType, WorkIdentifiers, WorkStatus } from './work.entity';

/** What a licence may do with a work, as consented (current state or one consent record). */
export interface ConsentFlags {
  train: boolean;
  fineTune: boolean;
  retrieval: boolean;
  evaluation: boolean;
  commercial: boolean;
  collective: boolean;
  excludedOrganisationIds: string[];
}

export interface Work {
  id: string;
  catalogueId: string;
  ownerId: string;
  title: string;
  mediaType: MediaType;
  language: string;
  identifiers: WorkIdentifiers;
  contentHash: string;
  sizeBytes: bigint | null;
  tags: string[];
  description: string | null;
  sourceUrl: string | null;
  status: WorkStatus;
  storageKey: string | null;
  consentRecordId: string | null;
  consent: ConsentFlags;
  listed: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A work as the caller gives it: its own fields, without what the database and consent assign. */
export type NewWork = Pick<Work, 'catalogueId' | 'ownerId' | 'title' | 'mediaType' | 'language' | 'identifiers' | 'contentHash' | 'sizeBytes' | 'tags' | 'description' | 'sourceUrl'>;

export const WORK_COLUMNS = `w.id, w.catalogue_id, w.owner_id, w.title, w.media_type, w.language, w.identifiers, w.content_hash,
  w.size_bytes, w.tags, w.description, w.source_url, w.status, w.storage_key, w.consent_record_id, w.allow_train,
  w.allow_fine_tune, w.allow_retrieval, w.allow_evaluation, w.allow_commercial, w.allow_collective,
  w.excluded_organisation_ids, w.listed, w.created_at, w.updated_at`;

type Row = Record<string, unknown>;

export function consentFromRow(r: Row): ConsentFlags {
  return {
    train: r.allow_train as boolean,
    fineTune: r.allow_fine_tune as boolean,
    retrieval: r.allow_retrieval as boolean,
    evaluation: r.allow_evaluation as boolean,
    commercial: r.allow_commercial as boolean,
    collective: r.allow_collective as boolean,
    excludedOrganisationIds: (r.excluded_organisation_ids as string[] | null) ?? [],
  };
}

export function workFromRow(r: Row): Work {
  return {
    id: r.id as string,
    catalogueId: r.catalogue_id as string,
    ownerId: r.owner_id as string,
    title: r.title as string,
    mediaType: r.media_type as MediaType,
    language: r.language as string,
    identifiers: (r.identifiers as WorkIdentifiers) ?? {},
    contentHash: r.content_hash as string,
    sizeBytes: r.size_bytes === null || r.size_bytes === undefined ? null : BigInt(r.size_bytes as string),
    tags: (r.tags as string[]) ?? [],
    description: (r.description as string | null) ?? null,
    sourceUrl: (r.source_url as string | null) ?? null,
    status: r.status as WorkStatus,
    storageKey: (r.storage_key as string | null) ?? null,
    consentRecordId: (r.consent_record_id as string | null) ?? null,
    consent: consentFromRow(r),
    listed: r.listed as boolean,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}
