import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiKeyService, AuthService } from '@fairshare/identity';
import { CurrentPrincipal, Principal, Roles } from '@fairshare/platform';
import { CreateApiKeyDto } from './identity.dto';
import { toApiKey } from './identity.mapper';

@ApiTags('organisations')
@Controller('v1/organisations/me')
export class OrganisationController {
  constructor(
    private readonly apiKeys: ApiKeyService,
    private readonly auth: AuthService,
  ) {}

  /** The key is shown once, here; Fairshare keeps only its hash. */
  @Post('api-keys') @Roles('licensee')
  async createApiKey(@CurrentPrincipal() p: Principal, @Body() dto: CreateApiKeyDto) {
    const { key, apiKey } = await this.apiKeys.create(p, dto.name);
    return { ...toApiKey(apiKey), key };
  }

  @Get('api-keys') @Roles('licensee')
  async listApiKeys(@CurrentPrincipal() p: Principal) {
    return { data: (await this.apiKeys.list(p)).map(toApiKey) };
  }

  @Post('api-keys/:id/revoke') @Roles('licensee')
  async revokeApiKey(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return toApiKey(await this.apiKeys.revoke(p, id));
  }

  @Post('invites') @Roles('licensee')
  async createInvite(@CurrentPrincipal() p: Principal & { kind: 'user' }) {
    const invite = await this.auth.createOrganisationInvite(p);
    return { code: invite.code, expiresAt: invite.expiresAt.toISOString() };
  }
}
