import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { UserAdminService } from '@fairshare/identity';
import { AuditRepository } from '@fairshare/persistence';
import { Authenticated, ClockService, Roles } from '@fairshare/platform';
import { ValidationFailed } from '@fairshare/domain';
import { CreateStaffDto, ListUsersQuery, SetRolesDto, TestClockDto } from './identity.dto';
import { toUser } from './identity.mapper';

@ApiTags('admin')
@Controller('v1/admin')
export class AdminController {
  constructor(
    private readonly users: UserAdminService,
    private readonly audit: AuditRepository,
  ) {}

  @Post('users') @Roles('admin')
  async createUser(@Body() dto: CreateStaffDto) {
    return toUser(await this.users.createStaff(dto));
  }

  @Get('users') @Roles('admin')
  async listUsers(@Query() q: ListUsersQuery) {
    return { data: (await this.users.list(q)).map(toUser) };
  }

  @Post('users/:id/roles') @HttpCode(200) @Roles('admin')
  async setRoles(@Param('id', ParseUUIDPipe) id: string, @Body() dto: SetRolesDto) {
    return toUser(await this.users.setRoles(id, dto.roles));
  }

  @Get('audit-log') @Roles('admin')
  async auditLog(@Query('resourceType') resourceType?: string, @Query('resourceId') resourceId?: string, @Query('before') before?: string) {
    if (before !== undefined && !/^\d+$/.test(before)) throw new ValidationFailed('INVALID_CURSOR', 'before must be an audit entry id.');
    const rows = await this.audit.list({ resourceType, resourceId, beforeId: before, limit: 200 });
    return { data: rows.map((r) => ({ ...r, occurredAt: r.occurredAt.toISOString() })), nextBefore: rows.length === 200 ? rows[rows.length - 1].id : null };
  }
}

@ApiTags('test-clock')
@Controller('v1/test-clock')
export class TestClockController {
  constructor(private readonly clock: ClockService) {}

  @Get() @Authenticated()
  async get() {
    return { now: (await this.clock.now()).toISOString(), controllable: this.clock.controllable };
  }

  @Post() @HttpCode(200) @Roles('admin')
  async set(@Body() dto: TestClockDto) {
    const chosen = [dto.frozenAt !== undefined, dto.advanceSeconds !== undefined, dto.reset !== undefined].filter(Boolean).length;
    if (chosen !== 1) throw new ValidationFailed('TEST_CLOCK_ONE_ACTION', 'Send exactly one of frozenAt, advanceSeconds, reset.');
    const now = dto.frozenAt ? await this.clock.freezeAt(new Date(dto.frozenAt)) : dto.advanceSeconds ? await this.clock.advance(dto.advanceSeconds) : await this.clock.reset();
    return { now: now.toISOString(), controllable: this.clock.controllable };
  }
}
