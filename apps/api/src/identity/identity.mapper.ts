import type { ApiKeyEntity, UserEntity } from '@fairshare/persistence';
import type { TokenPair } from '@fairshare/identity';

export const toUser = (u: UserEntity) => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  roles: u.roles,
  organisationId: u.organisationId,
  createdAt: u.createdAt.toISOString(),
});

export const toTokens = (t: TokenPair) => ({
  accessToken: t.accessToken,
  refreshToken: t.refreshToken,
  tokenType: 'Bearer',
  expiresIn: t.expiresIn,
  user: toUser(t.user),
});

export const toApiKey = (k: ApiKeyEntity) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});
