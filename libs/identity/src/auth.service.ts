import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@fairshare/config';
import { AppError, Conflict, Role, Unauthenticated, ValidationFailed } from '@fairshare/domain';
import {
  ApiKeyRepository,
  OrganisationInviteRepository,
  OrganisationRepository,
  RefreshTokenRepository,
  UserEntity,
  UserRepository,
} from '@fairshare/persistence';
import { AuditService, ClockService, Principal } from '@fairshare/platform';
import { PasswordHasher } from './password-hasher';
import { API_KEY_PREFIX, INVITE_CODE_PREFIX, randomToken, REFRESH_TOKEN_PREFIX, sha256 } from './secrets';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_SECONDS = 15 * 60;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: UserEntity;
}

export interface RegisterInput {
  email: string;
  password: string;
  displayName: string;
  role: 'creator' | 'licensee';
  organisationName?: string;
  organisationInviteCode?: string;
}

export const slugify = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'org';

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly users: UserRepository,
    private readonly orgs: OrganisationRepository,
    private readonly invites: OrganisationInviteRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly apiKeys: ApiKeyRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly clock: ClockService,
  ) {}

  async register(input: RegisterInput): Promise<TokenPair> {
    if (input.role === 'licensee' && !input.organisationName === !input.organisationInviteCode) {
      throw new ValidationFailed('ORGANISATION_REQUIRED', 'A licensee names a new organisation (organisationName) or joins one with an invitation code (organisationInviteCode), not both.');
    }
    if (input.role === 'creator' && (input.organisationName || input.organisationInviteCode)) {
      throw new ValidationFailed('ORGANISATION_NOT_ALLOWED', 'Creator accounts do not belong to an organisation.');
    }
    const passwordHash = await this.hasher.hash(input.password);
    const now = await this.clock.now();
    return this.dataSource.transaction(async (em) => {
      if (await this.users.findByEmail(input.email, em)) {
        throw new Conflict('EMAIL_TAKEN', 'An account with this email already exists.');
      }
      let organisationId: string | null = null;
      if (input.role === 'licensee' && input.organisationName) {
        const { org, created } = await this.orgs.upsertBySlug(em, input.organisationName.trim(), slugify(input.organisationName));
        if (!created) {
          throw new Conflict('ORGANISATION_EXISTS', 'This organisation already exists on Fairshare: ask one of its members for an invitation code.');
        }
        organisationId = org.id;
      }
      const invite = input.organisationInviteCode ? await this.invites.lockUsable(em, sha256(input.organisationInviteCode), now) : null;
      if (input.organisationInviteCode && !invite) throw new ValidationFailed('INVITE_INVALID', 'This invitation code is unknown, used or expired.');
      const user = await this.users.insert(em, {
        email: input.email.trim(),
        passwordHash,
        displayName: input.displayName.trim(),
        roles: [input.role],
        organisationId: invite?.organisationId ?? organisationId,
      });
      if (invite) await this.invites.markUsed(em, invite.id, user.id, now);
      if (organisationId) {
        await this.audit.record(em, { action: 'organisation.created', resourceType: 'organisation', resourceId: organisationId, actor: { actorType: 'user', actorId: user.id } });
      }
      await this.audit.record(em, {
        action: 'user.registered',
        resourceType: 'user',
        resourceId: user.id,
        details: { role: input.role, organisationId: user.organisationId },
        actor: { actorType: 'user', actorId: user.id },
      });
      return this.issueTokens(em, user, randomUUID(), now);
    });
  }

  async login(email: string, password: string): Promise<TokenPair> {
    const now = await this.clock.now();
    // Verify outside the row lock (argon2 is slow), then apply the outcome under the lock.
    const candidate = await this.users.findByEmail(email);
    const ok = await this.hasher.verify(candidate?.passwordHash ?? null, password);
    const result = await this.dataSource.transaction(async (em) => {
      const user = await this.users.findByEmailForUpdate(email, em);
      if (!user || user.id !== candidate?.id) return { error: new Unauthenticated('INVALID_CREDENTIALS', 'Email or password is incorrect.') };
      if (user.lockedUntil && user.lockedUntil > now) {
        const retryAfter = Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000);
        return { error: new AppError('LOGIN_LOCKED', 'Too many failed sign-in attempts: try again later.', 429, { retryAfterSeconds: retryAfter }) };
      }
      if (!ok) {
        const lock = user.failedLogins + 1 >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCKOUT_SECONDS * 1000) : null;
        await this.users.recordFailedLogin(em, user.id, lock);
        await this.audit.record(em, { action: lock ? 'user.locked_out' : 'user.login_failed', resourceType: 'user', resourceId: user.id, actor: { actorType: 'anonymous', actorId: null } });
        return { error: new Unauthenticated('INVALID_CREDENTIALS', 'Email or password is incorrect.') };
      }
      await this.users.resetFailedLogins(em, user.id);
      await this.audit.record(em, { action: 'user.logged_in', resourceType: 'user', resourceId: user.id, actor: { actorType: 'user', actorId: user.id } });
      return { tokens: await this.issueTokens(em, user, randomUUID(), now) };
    });
    // Failures are committed (the count must stick) and only then reported.
    if ('error' in result) throw result.error;
    return result.tokens;
  }

  /** Rotates the refresh token. A token used twice means it leaked: its whole family is revoked. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const now = await this.clock.now();
    const result = await this.dataSource.transaction(async (em) => {
      const token = await this.refreshTokens.findByHashForUpdate(em, sha256(refreshToken));
      if (!token || token.expiresAt <= now) return { error: new Unauthenticated('REFRESH_TOKEN_INVALID', 'The refresh token is invalid or expired.') };
      if (token.revokedAt) {
        await this.refreshTokens.revokeFamily(em, token.familyId, now);
        await this.audit.record(em, { action: 'user.refresh_token_reused', resourceType: 'user', resourceId: token.userId, actor: { actorType: 'anonymous', actorId: null } });
        return { error: new Unauthenticated('REFRESH_TOKEN_REVOKED', 'The refresh token was revoked.') };
      }
      const user = await this.users.findById(token.userId, em);
      if (!user) return { error: new Unauthenticated('REFRESH_TOKEN_INVALID', 'The refresh token is invalid or expired.') };
      await this.refreshTokens.revoke(em, token.id, now);
      return { tokens: await this.issueTokens(em, user, token.familyId, now) };
    });
    if ('error' in result) throw result.error;
    return result.tokens;
  }

  async logout(refreshToken: string): Promise<void> {
    const now = await this.clock.now();
    await this.dataSource.transaction(async (em) => {
      const token = await this.refreshTokens.findByHashForUpdate(em, sha256(refreshToken));
      if (!token) return; // nothing to revoke: logout is idempotent and reveals nothing
      await this.refreshTokens.revokeFamily(em, token.familyId, now);
      await this.audit.record(em, { action: 'user.logged_out', resourceType: 'user', resourceId: token.userId, actor: { actorType: 'user', actorId: token.userId } });
    });
  }

  /** Resolves a bearer credential (JWT access token or organisation API key) to a principal. */
  async authenticate(bearer: string): Promise<Principal> {
    if (bearer.startsWith(API_KEY_PREFIX)) {
      const key = await this.apiKeys.findActiveByHash(sha256(bearer));
      if (!key) throw new Unauthenticated('API_KEY_INVALID', 'The API key is invalid or revoked.');
      await this.apiKeys.touch(key.id, await this.clock.now());
      return { kind: 'api_key', apiKeyId: key.id, organisationId: key.organisationId, roles: ['licensee'] };
    }
    let payload: { sub?: string; typ?: string };
    try {
      payload = await this.jwt.verifyAsync(bearer, { secret: this.config.JWT_SECRET, algorithms: ['HS256'] });
    } catch {
      throw new Unauthenticated('ACCESS_TOKEN_INVALID', 'The access token is invalid or expired.');
    }
    if (payload.typ !== 'access' || !payload.sub) throw new Unauthenticated('ACCESS_TOKEN_INVALID', 'The access token is invalid or expired.');
    // Roles are read from the database on each request, so a role change takes effect at once.
    const user = await this.users.findById(payload.sub);
    if (!user) throw new Unauthenticated('ACCESS_TOKEN_INVALID', 'The access token is invalid or expired.');
    return { kind: 'user', userId: user.id, email: user.email, roles: user.roles, organisationId: user.organisationId };
  }

  async createOrganisationInvite(principal: Principal & { kind: 'user' }): Promise<{ code: string; expiresAt: Date }> {
    if (!principal.organisationId) throw new ValidationFailed('NO_ORGANISATION', 'You do not belong to an organisation.');
    const code = randomToken(INVITE_CODE_PREFIX, 18);
    const expiresAt = new Date((await this.clock.now()).getTime() + 7 * 86400_000);
    await this.dataSource.transaction(async (em) => {
      const id = await this.invites.insert(em, { organisationId: principal.organisationId!, createdBy: principal.userId, codeHash: sha256(code), expiresAt });
      await this.audit.record(em, { action: 'organisation.invite_created', resourceType: 'organisation', resourceId: principal.organisationId, details: { inviteId: id } });
    });
    return { code, expiresAt };
  }

  private async issueTokens(em: EntityManager, user: UserEntity, familyId: string, now: Date): Promise<TokenPair> {
    const refreshToken = randomToken(REFRESH_TOKEN_PREFIX);
    await this.refreshTokens.insert(em, {
      userId: user.id,
      familyId,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(now.getTime() + this.config.REFRESH_TOKEN_TTL_DAYS * 86400_000),
    });
    const accessToken = await this.jwt.signAsync(
      { sub: user.id, typ: 'access', roles: user.roles as Role[] },
      { secret: this.config.JWT_SECRET, algorithm: 'HS256', expiresIn: this.config.JWT_ACCESS_TTL_SECONDS, jwtid: randomUUID() },
    );
    return { accessToken, refreshToken, expiresIn: this.config.JWT_ACCESS_TTL_SECONDS, user };
  }
}
