import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import {
  ApiKeyRepository,
  OrganisationInviteRepository,
  OrganisationRepository,
  RefreshTokenRepository,
  UserRepository,
} from '@fairshare/persistence';
import { ApiKeyService } from './api-key.service';
import { AuthService } from './auth.service';
import { PasswordHasher } from './password-hasher';
import { UserAdminService } from './user-admin.service';

@Module({
  imports: [JwtModule.register({})],
  providers: [
    UserRepository,
    OrganisationRepository,
    OrganisationInviteRepository,
    RefreshTokenRepository,
    ApiKeyRepository,
    PasswordHasher,
    AuthService,
    ApiKeyService,
    UserAdminService,
  ],
  exports: [AuthService, ApiKeyService, UserAdminService, UserRepository, OrganisationRepository],
})
export class IdentityModule {}
