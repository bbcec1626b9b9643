import type { NextFunction, Request, Response } from 'express';
import type { AuthService } from '@fairshare/identity';
import type { Principal } from '@fairshare/platform';

/**
 * Bull Board is for admins only. Browsers get HTTP Basic auth (email + password), scripts may
 * send an admin's Bearer token.
 */
export function queueBoardGuard(auth: AuthService) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const refuse = (status: number, code: string, message: string) => {
      if (status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="Fairshare queues", charset="UTF-8"');
      res.status(status).json({ error: { code, message, requestId: (req as { id?: string }).id ?? null } });
    };
    try {
      const header = req.headers.authorization ?? '';
      let principal: Principal | undefined;
      if (/^Bearer\s+/i.test(header)) {
        principal = await auth.authenticate(header.replace(/^Bearer\s+/i, ''));
      } else if (/^Basic\s+/i.test(header)) {
        const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
        const sep = decoded.indexOf(':');
        const tokens = await auth.login(decoded.slice(0, sep), decoded.slice(sep + 1));
        principal = { kind: 'user', userId: tokens.user.id, email: tokens.user.email, roles: tokens.user.roles, organisationId: tokens.user.organisationId };
      }
      if (!principal) return refuse(401, 'UNAUTHENTICATED', 'Sign in as an admin.');
      if (!principal.roles.includes('admin')) return refuse(403, 'ROLE_REQUIRED', 'The queue board is for admins.');
      // Bull Board runs an Express app of its own, which announces itself; ours does not.
      const setHeader = res.setHeader.bind(res);
      res.setHeader = ((name: string, value: string | number | readonly string[]) =>
        name.toLowerCase() === 'x-powered-by' ? res : setHeader(name, value)) as typeof res.setHeader;
      next();
    } catch {
      refuse(401, 'UNAUTHENTICATED', 'Sign in as an admin.');
    }
  };
}
