import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CreatorProfileService } from '@fairshare/catalogue';
import { CurrentPrincipal, Principal, Roles } from '@fairshare/platform';
import { CreatorProfileDto } from './catalogue.dto';
import { toCreatorProfile } from './catalogue.mapper';

@ApiTags('creators')
@Controller('v1/me/creator-profile')
export class CreatorProfileController {
  constructor(private readonly profiles: CreatorProfileService) {}

  @Get() @Roles('creator')
  async get(@CurrentPrincipal() p: Principal & { kind: 'user' }) {
    return toCreatorProfile(await this.profiles.get(p.userId));
  }

  @Put() @Roles('creator')
  async put(@CurrentPrincipal() p: Principal & { kind: 'user' }, @Body() dto: CreatorProfileDto) {
    return toCreatorProfile(
      await this.profiles.put(p.userId, { displayName: dto.displayName, country: dto.country ?? null, payoutCurrency: dto.payoutCurrency ?? null, bio: dto.bio ?? null, links: dto.links ?? [] }),
    );
  }
}
