import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CONTENT_STORAGE, type ContentStorage } from '@fairshare/catalogue';
import { Forbidden, NotFound, UnprocessableEntity } from '@fairshare/domain';
import { LicenceRepository, WorkRepository } from '@fairshare/persistence';
import { ClockService, type Principal, RequestContext } from '@fairshare/platform';
import { isInForce } from './rules/licence-term';

/**
 * Delivers a licensed work's stored content to the licensee organisation (members or its API
 * keys) while the licence is in force and the work is in its manifest. Every delivery is logged
 * before the first byte leaves.
 */
@Injectable()
export class DownloadService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly licences: LicenceRepository,
    private readonly works: WorkRepository,
    private readonly clock: ClockService,
    @Inject(CONTENT_STORAGE) private readonly storage: ContentStorage,
  ) {}

  async open(principal: Principal, licenceId: string, workId: string): Promise<{ stream: Readable; contentHash: string; sizeBytes: bigint | null; mediaType: string }> {
    const licence = await this.licences.findById(licenceId);
    if (!licence || licence.organisationId !== principal.organisationId) throw new NotFound('LICENCE_NOT_FOUND', `No licence ${licenceId}.`);
    const now = await this.clock.now();
    if (!isInForce(licence, now)) throw new Forbidden('LICENCE_NOT_IN_FORCE', 'This licence is not in force: content can be downloaded only during its term.');
    const line = await this.licences.manifestLine(licenceId, workId);
    if (!line) throw new NotFound('WORK_NOT_IN_MANIFEST', `Work ${workId} is not covered by licence ${licenceId}.`);
    const work = await this.works.findById(workId);
    if (!work?.storageKey) throw new UnprocessableEntity('CONTENT_NOT_STORED', 'The creator has not uploaded this work’s content; use its source URL.');
    const stream = await this.storage.open(work.storageKey);
    await this.dataSource.transaction((em) =>
      this.licences.logDownload(em, {
        licenceId,
        workId,
        organisationId: licence.organisationId,
        actorType: principal.kind === 'user' ? 'user' : 'api_key',
        actorId: principal.kind === 'user' ? principal.userId : principal.apiKeyId,
        at: now,
        requestId: RequestContext.current()?.requestId ?? null,
      }),
    );
    return { stream, contentHash: line.contentHash, sizeBytes: work.sizeBytes ?? null, mediaType: work.mediaType };
  }
}
