import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NotFound, ValidationFailed } from '@fairshare/domain';
import { isSupportedCurrency } from '@fairshare/money';
import { CreatorEntity, CreatorProfileInput, CreatorRepository, UserRepository } from '@fairshare/persistence';
import { AuditService } from '@fairshare/platform';
import { isHttpUrl } from './rules/work-input';

@Injectable()
export class CreatorProfileService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly creators: CreatorRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditService,
  ) {}

  async get(userId: string): Promise<CreatorEntity> {
    const c = await this.creators.findById(userId);
    if (!c) throw new NotFound('CREATOR_PROFILE_NOT_FOUND', 'This account has no creator profile yet: PUT /v1/me/creator-profile.');
    return c;
  }

  async put(userId: string, input: CreatorProfileInput): Promise<CreatorEntity> {
    if (input.payoutCurrency !== null && !isSupportedCurrency(input.payoutCurrency)) {
      throw new ValidationFailed('UNSUPPORTED_CURRENCY', `${input.payoutCurrency} is not a supported payout currency.`);
    }
    if (input.links.some((l) => !isHttpUrl(l))) throw new ValidationFailed('INVALID_LINK', 'links must be http(s) URLs.');
    return this.dataSource.transaction(async (em) => {
      const { creator, created } = await this.creators.upsert(em, userId, input);
      await this.audit.record(em, { action: created ? 'creator.profile_created' : 'creator.profile_updated', resourceType: 'creator', resourceId: userId, details: { ...input } });
      return creator;
    });
  }

  /** A bare profile (the user's display name) at a creator's first catalogue; country and currency come later. */
  async ensure(em: EntityManager, userId: string): Promise<void> {
    if (await this.creators.findById(userId, em)) return;
    const user = await this.users.findById(userId, em);
    if (!user) throw new NotFound('USER_NOT_FOUND', 'No such user.');
    if (await this.creators.ensure(em, userId, user.displayName)) {
      await this.audit.record(em, { action: 'creator.profile_created', resourceType: 'creator', resourceId: userId, details: { lazily: true } });
    }
  }
}
