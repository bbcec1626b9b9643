import { AsyncLocalStorage } from 'node:async_hooks';
import type { Role } from '@fairshare/domain';

/** Who is calling: a signed-in user, or an organisation's API key (a machine sending usage). */
export type Principal =
  | { kind: 'user'; userId: string; email: string; roles: Role[]; organisationId: string | null }
  | { kind: 'api_key'; apiKeyId: string; organisationId: string; roles: Role[] };

export interface RequestStore {
  requestId: string;
  principal?: Principal;
}

const storage = new AsyncLocalStorage<RequestStore>();

/** Per-request context (request ID, principal) for logs and the audit log, without threading it through every call. */
export const RequestContext = {
  run<T>(store: RequestStore, fn: () => T): T {
    return storage.run(store, fn);
  },
  current(): RequestStore | undefined {
    return storage.getStore();
  },
  setPrincipal(principal: Principal): void {
    const store = storage.getStore();
    if (store) store.principal = principal;
  },
};

export function principalHasRole(p: Principal | undefined, ...roles: Role[]): boolean {
  return !!p && p.roles.some((r) => roles.includes(r));
}
