import { Forbidden, NotFound } from '@fairshare/domain';
import type { CatalogueEntity, Work } from '@fairshare/persistence';
import { Principal, principalHasRole } from '@fairshare/platform';

/** Who may see and change catalogue data. Reads: listed works are public; drafts go to owners, holders and admins. */
export const userIdOf = (p: Principal | undefined): string | null => (p?.kind === 'user' ? p.userId : null);
export const isAdmin = (p: Principal | undefined): boolean => p?.kind === 'user' && principalHasRole(p, 'admin');

export function requireCatalogue(c: CatalogueEntity | null): CatalogueEntity {
  if (!c) throw new NotFound('CATALOGUE_NOT_FOUND', 'No such catalogue.');
  return c;
}

export function requireWork(w: Work | null): Work {
  if (!w) throw new NotFound('WORK_NOT_FOUND', 'No such work.');
  return w;
}

export function assertCatalogueOwner(c: CatalogueEntity, p: Principal | undefined): void {
  if (c.ownerId !== userIdOf(p)) throw new Forbidden('NOT_CATALOGUE_OWNER', 'Only the owner of this catalogue can do this.');
}

export function assertWorkOwner(w: Work, p: Principal | undefined): void {
  if (w.ownerId !== userIdOf(p)) throw new Forbidden('NOT_WORK_OWNER', 'Only the owner of this work can do this.');
}
