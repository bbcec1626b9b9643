import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthService } from '@fairshare/identity';
import { UserRepository } from '@fairshare/persistence';
import { Authenticated, CurrentPrincipal, Principal, Public } from '@fairshare/platform';
import { NotFound } from '@fairshare/domain';
import { AuthRateLimited } from './auth-rate-limit';
import { LoginDto, RefreshDto, RegisterDto } from './identity.dto';
import { toTokens, toUser } from './identity.mapper';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register') @Public() @AuthRateLimited()
  async register(@Body() dto: RegisterDto) {
    return toTokens(await this.auth.register(dto));
  }

  @Post('login') @HttpCode(200) @Public() @AuthRateLimited()
  async login(@Body() dto: LoginDto) {
    return toTokens(await this.auth.login(dto.email, dto.password));
  }

  @Post('refresh') @HttpCode(200) @Public() @AuthRateLimited()
  async refresh(@Body() dto: RefreshDto) {
    return toTokens(await this.auth.refresh(dto.refreshToken));
  }

  @Post('logout') @HttpCode(204) @Public() @AuthRateLimited()
  async logout(@Body() dto: RefreshDto): Promise<void> {
    await this.auth.logout(dto.refreshToken);
  }
}

@ApiTags('auth')
@Controller('v1/me')
export class MeController {
  constructor(private readonly users: UserRepository) {}

  @Get() @Authenticated()
  async me(@CurrentPrincipal() principal: Principal & { kind: 'user' }) {
    const user = await this.users.findById(principal.userId);
    if (!user) throw new NotFound('USER_NOT_FOUND', 'No such user.');
    return toUser(user);
  }
}

