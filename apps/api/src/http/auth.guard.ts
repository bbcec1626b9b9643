import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Forbidden, Unauthenticated } from '@fairshare/domain';
import { AuthService } from '@fairshare/identity';
import { ACCESS_RULE, AccessRule, Principal, RequestContext } from '@fairshare/platform';

export function bearerOf(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) throw new Unauthenticated('AUTHORIZATION_MALFORMED', 'Send credentials as "Authorization: Bearer <token or API key>".');
  return m[1];
}

/** Enforces each route's declared access rule (see access.decorators.ts). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [ctx.getHandler(), ctx.getClass()]);
    if (!rule) throw new Forbidden('ROUTE_HAS_NO_ACCESS_RULE', 'This route declares no access rule.');
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const bearer = bearerOf(req);
    if (!bearer) {
      if (rule.kind === 'public') return true;
      throw new Unauthenticated();
    }
    const principal = await this.auth.authenticate(bearer);
    req.principal = principal;
    RequestContext.setPrincipal(principal);
    if (rule.kind === 'public' || rule.kind === 'authenticated') {
      if (rule.kind === 'authenticated' && principal.kind !== 'user') throw new Forbidden('USER_REQUIRED', 'Sign in as a user: API keys cannot call this route.');
      return true;
    }
    if (principal.kind === 'api_key' && !rule.apiKey) throw new Forbidden('API_KEY_NOT_ALLOWED', 'API keys cannot call this route: sign in as a user.');
    if (!principal.roles.some((r) => rule.roles.includes(r))) {
      throw new Forbidden('ROLE_REQUIRED', `This route is for: ${rule.roles.join(', ')}.`, { requiredRoles: rule.roles });
    }
    return true;
  }
}
