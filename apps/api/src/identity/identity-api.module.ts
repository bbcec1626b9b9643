import { Module } from '@nestjs/common';
import { IdentityModule } from '@fairshare/identity';
import { AdminController, TestClockController } from './admin.controller';
import { AuthController, MeController } from './auth.controller';
import { OrganisationController } from './organisation.controller';

@Module({
  imports: [IdentityModule],
  controllers: [AuthController, MeController, OrganisationController, AdminController, TestClockController],
})
export class IdentityApiModule {}
