import { Injectable } from '@nestjs/common';
import { NotFound } from '@fairshare/domain';
import { RegisterRepository, WorkRepository } from '@fairshare/persistence';
import { ClockService, type Principal } from '@fairshare/platform';

/** The public transparency register: who licensed what, for which uses and when. */
@Injectable()
export class RegisterService {
  constructor(
    private readonly register: RegisterRepository,
    private readonly works: WorkRepository,
    private readonly clock: ClockService,
  ) {}

  licences(page: { limit: number; offset: number }) {
    return this.register.licences(page);
  }

  async work(workId: string) {
    const work = await this.works.findById(workId);
    if (!work || work.status === 'rejected') throw new NotFound('WORK_NOT_FOUND', `No work ${workId}.`);
    return { work, licences: await this.register.licencesOfWork(workId) };
  }

  async stats() {
    return this.register.stats(await this.clock.now());
  }

  /** A creator's own work, in detail (consent record per licence). Others' works are "not found". */
  async ownWork(principal: Principal, workId: string) {
    const work = await this.works.findById(workId);
    if (!work || principal.kind !== 'user' || work.ownerId !== principal.userId) throw new NotFound('WORK_NOT_FOUND', `No work ${workId}.`);
    return { work, licences: await this.register.licencesOfWork(workId) };
  }
}
