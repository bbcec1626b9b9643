import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Role } from '@fairshare/domain';
import type { Principal } from './request-context';

/**
 * Every route declares who may call it, with exactly one of these. The API refuses to start if a
 * route declares none (see AccessRulesCheck), and the authorization-matrix test reads the same
 * metadata.
 */
export const ACCESS_RULE = 'fairshare:access';
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'roles'; roles: Role[]; apiKey: boolean };

/** Anyone, signed in or not (a bearer token, if sent, is still read so owners can see more). */
export const Public = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);

/** Any signed-in user, whatever their roles. */
export const Authenticated = () =>
  applyDecorators(SetMetadata(ACCESS_RULE, { kind: 'authenticated' } satisfies AccessRule), ApiBearerAuth());

/** Signed-in users holding one of these roles. */
export const Roles = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ACCESS_RULE, { kind: 'roles', roles, apiKey: false } satisfies AccessRule), ApiBearerAuth());

/** Like Roles('licensee', …), and also organisation API keys (machines sending usage reports). */
export const RolesOrApiKey = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ACCESS_RULE, { kind: 'roles', roles, apiKey: true } satisfies AccessRule), ApiBearerAuth());

/** The authenticated principal (undefined on public routes called anonymously). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal | undefined => {
  return ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal;
});
