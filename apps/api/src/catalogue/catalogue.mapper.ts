import type { CatalogueCounts, CatalogueEntity, ConsentFlags, ConsentRecord, CreatorEntity, Split, Work, WorksImportEntity } from '@fairshare/persistence';
import { NO_CONSENT } from '@fairshare/catalogue';

export const toCreatorProfile = (c: CreatorEntity) => ({
  id: c.id,
  displayName: c.displayName,
  country: c.country,
  payoutCurrency: c.payoutCurrency,
  bio: c.bio,
  links: c.links,
  readyForPayouts: !!(c.country && c.payoutCurrency),
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

export const toCatalogue = (c: CatalogueEntity) => ({
  id: c.id,
  ownerId: c.ownerId,
  name: c.name,
  description: c.description,
  createdAt: c.createdAt.toISOString(),
});

export const toCatalogueWithCounts = (r: { catalogue: CatalogueEntity; counts: CatalogueCounts; includesDrafts: boolean }) => ({
  ...toCatalogue(r.catalogue),
  counts: { ...r.counts, includesDrafts: r.includesDrafts },
});

const toConsent = (c: ConsentFlags) => ({
  train: c.train,
  fineTune: c.fineTune,
  retrieval: c.retrieval,
  evaluation: c.evaluation,
  commercial: c.commercial,
  collective: c.collective,
  excludedOrganisationIds: c.excludedOrganisationIds,
});

/** A work's consent and the record that set it; built field by field (an object spread here cost ~1 µs per work of a search page). */
const toWorkConsent = (c: ConsentFlags, consentRecordId: string | null) => ({
  train: c.train,
  fineTune: c.fineTune,
  retrieval: c.retrieval,
  evaluation: c.evaluation,
  commercial: c.commercial,
  collective: c.collective,
  excludedOrganisationIds: c.excludedOrganisationIds,
  consentRecordId,
});

/** GET /v1/works (WorksPageDto): totalRelation tells whether total is exact ('eq') or a lower bound ('gte'). */
export const toWorksPage = (r: { works: Work[]; total: number; totalRelation: 'eq' | 'gte'; nextCursor: string | null }) => ({
  data: r.works.map(toWork),
  total: r.total,
  totalRelation: r.totalRelation,
  nextCursor: r.nextCursor,
});

export const toWork = (w: Work) => ({
  id: w.id,
  catalogueId: w.catalogueId,
  ownerId: w.ownerId,
  title: w.title,
  mediaType: w.mediaType,
  language: w.language,
  identifiers: w.identifiers,
  contentHash: w.contentHash,
  sizeBytes: w.sizeBytes === null ? null : w.sizeBytes.toString(),
  tags: w.tags,
  description: w.description,
  sourceUrl: w.sourceUrl,
  status: w.status,
  listed: w.listed,
  hasContent: w.storageKey !== null,
  consent: toWorkConsent(w.consent, w.consentRecordId),
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
});

export const toConsentRecord = (r: ConsentRecord) => ({
  id: r.id,
  workId: r.workId,
  actorId: r.actorId,
  actorName: r.actorName,
  createdAt: r.createdAt.toISOString(),
  bulkId: r.bulkId,
  consent: toConsent(r.consent),
  previousId: r.previousId,
  previous: toConsent(r.previous ?? NO_CONSENT),
});

export const toSplit = (s: Split) => ({
  id: s.id,
  workId: s.workId,
  version: s.version,
  effectiveAt: s.effectiveAt.toISOString(),
  createdBy: s.createdBy,
  createdAt: s.createdAt.toISOString(),
  holders: s.shares.map((h) => ({
    creatorId: h.holderCreatorId ?? h.acceptedBy,
    creatorName: h.creatorName ?? null,
    invitationId: h.holderInvitationId,
    email: h.invitationEmail,
    accepted: h.holderCreatorId !== null || h.acceptedBy !== null,
    shareBps: h.shareBps,
  })),
});

export const toWorksImport = (i: WorksImportEntity) => ({
  id: i.id,
  catalogueId: i.catalogueId,
  fileSha256: i.fileSha256,
  sizeBytes: i.sizeBytes,
  status: i.status,
  processedThroughRow: i.rowsProcessed,
  rowsCreated: i.rowsCreated,
  rowsRejected: i.rowsRejected,
  error: i.errorCode ? { code: i.errorCode, message: i.errorMessage } : null,
  createdAt: i.createdAt.toISOString(),
  startedAt: i.startedAt?.toISOString() ?? null,
  completedAt: i.completedAt?.toISOString() ?? null,
});
