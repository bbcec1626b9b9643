import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { AppConfig } from '@fairshare/config';
import { Conflict, Forbidden, PayloadTooLarge, ValidationFailed } from '@fairshare/domain';
import { CatalogueRepository, SplitRepository, Work, WorkRepository } from '@fairshare/persistence';
import { AuditService, ClockService, Principal } from '@fairshare/platform';
import { assertCatalogueOwner, assertWorkOwner, isAdmin, requireCatalogue, requireWork, userIdOf } from './catalogue-access';
import { RawWorkInput, validateWorkInput } from './rules/work-input';
import { CONTENT_STORAGE, ContentStorage } from './storage/content-storage';

@Injectable()
export class WorkService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly catalogues: CatalogueRepository,
    private readonly works: WorkRepository,
    private readonly splits: SplitRepository,
    private readonly clock: ClockService,
    private readonly audit: AuditService,
    @Inject(CONTENT_STORAGE) private readonly storage: ContentStorage,
  ) {}

  /**
   * Creates a work (consent: nothing allowed; split: its owner holds 10000 bps). A content hash
   * another creator already claims marks both claims `disputed`, in the same transaction, under
   * a lock on the hash so that two simultaneous claims cannot both pass unseen.
   */
  async create(p: Principal, catalogueId: string, raw: RawWorkInput): Promise<Work> {
    const checked = validateWorkInput(raw);
    if (!checked.ok) throw new ValidationFailed(checked.code, checked.message, { field: checked.field });
    const input = checked.value;
    const at = await this.clock.now();
    return this.dataSource.transaction(async (em) => {
      const catalogue = requireCatalogue(await this.catalogues.findById(catalogueId, em));
      assertCatalogueOwner(catalogue, p);
      await this.works.lockHashes(em, [input.contentHash]);
      const work = await this.works.insert(em, { ...input, catalogueId, ownerId: catalogue.ownerId }, at);
      if (!work) throw new Conflict('WORK_EXISTS', 'This catalogue already has a work with this contentHash.', { contentHash: input.contentHash });
      await this.splits.insertInitial(em, [{ id: work.id, ownerId: work.ownerId }], at);
      await this.audit.record(em, { action: 'work.created', resourceType: 'work', resourceId: work.id, details: { catalogueId, contentHash: work.contentHash } });
      const disputed = await this.works.markDisputes(em, [input.contentHash], at);
      for (const d of disputed) {
        await this.audit.record(em, { action: 'work.disputed', resourceType: 'work', resourceId: d.id, details: { contentHash: d.contentHash, claimedBy: work.id } });
      }
      return (await this.works.findById(work.id, em))!;
    });
  }

  /** A work as the caller may see it: listed works are public; drafts go to owners, holders and admins. */
  async get(p: Principal | undefined, id: string): Promise<Work> {
    const work = requireWork(await this.works.findById(id));
    await this.assertCanRead(work, p);
    return work;
  }

  async assertCanRead(work: Work, p: Principal | undefined): Promise<void> {
    if (work.listed) return;
    await this.assertInsider(work, p);
  }

  /** Owner, rights holders and admins: who may see drafts, splits and the consent history. */
  async assertInsider(work: Work, p: Principal | undefined): Promise<void> {
    if (isAdmin(p)) return;
    const me = userIdOf(p);
    if (me && (work.ownerId === me || (await this.splits.isHolder(work.id, me)))) return;
    throw new Forbidden('WORK_NOT_VISIBLE', 'Only the owner and the rights holders of this work can see this.');
  }

  /**
   * Streams the content to storage while hashing it; refuses (keeping nothing) a wrong hash or
   * more than CONTENT_MAX_BYTES.
   */
  async uploadContent(p: Principal, id: string, body: Readable, declaredLength: number | null): Promise<Work> {
    const work = requireWork(await this.works.findById(id));
    assertWorkOwner(work, p);
    const maxBytes = this.config.CONTENT_MAX_BYTES;
    if (declaredLength !== null && declaredLength > maxBytes) {
      throw new PayloadTooLarge('CONTENT_TOO_LARGE', `The upload is larger than ${maxBytes} bytes.`, { maxBytes });
    }
    const stored = await this.storage.put(body, { namespace: 'content', expectedSha256: work.contentHash, maxBytes });
    const at = await this.clock.now();
    return this.dataSource.transaction(async (em) => {
      await this.works.setContent(em, id, stored.key, stored.sizeBytes, at);
      await this.audit.record(em, { action: 'work.content_uploaded', resourceType: 'work', resourceId: id, details: { sizeBytes: stored.sizeBytes.toString(), key: stored.key } });
      return (await this.works.findById(id, em))!;
    });
  }
}
