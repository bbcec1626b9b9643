import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayUnique, IsArray, IsEmail, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ROLES, Role } from '@fairshare/domain';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.org' }) @Transform(trim) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ minLength: 12 }) @IsString() @MinLength(12) @MaxLength(200) password: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 120) displayName: string;
  @ApiProperty({ enum: ['creator', 'licensee'] }) @IsIn(['creator', 'licensee']) role: 'creator' | 'licensee';
  @ApiPropertyOptional({ description: 'Licensees: create this organisation' }) @IsOptional() @Transform(trim) @IsString() @Length(2, 200) organisationName?: string;
  @ApiPropertyOptional({ description: 'Licensees: join an organisation with a member’s invitation code' }) @IsOptional() @IsString() @Length(8, 100) organisationInviteCode?: string;
}

export class LoginDto {
  @ApiProperty() @Transform(trim) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty() @IsString() @Length(1, 200) password: string;
}

export class RefreshDto {
  @ApiProperty() @IsString() @Length(10, 200) refreshToken: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'usage-reporter' }) @Transform(trim) @IsString() @Length(1, 100) name: string;
}

export class CreateStaffDto {
  @ApiProperty() @Transform(trim) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 120) displayName: string;
  @ApiProperty({ minLength: 12 }) @IsString() @MinLength(12) @MaxLength(200) password: string;
  @ApiProperty({ enum: ROLES, isArray: true }) @IsArray() @ArrayUnique() @IsIn(ROLES, { each: true }) roles: Role[];
}

export class SetRolesDto {
  @ApiProperty({ enum: ROLES, isArray: true }) @IsArray() @ArrayUnique() @IsIn(ROLES, { each: true }) roles: Role[];
}

export class ListUsersQuery {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => Number(value)) @IsInt() @Min(1) @Max(500) limit = 100;
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => Number(value)) @IsInt() @Min(0) offset = 0;
}

export class TestClockDto {
  @ApiPropertyOptional({ description: 'Freeze business time at this instant' }) @IsOptional() @IsISO8601({ strict: true }) frozenAt?: string;
  @ApiPropertyOptional({ description: 'Advance business time by this many seconds' }) @IsOptional() @IsInt() @Min(1) @Max(20 * 365 * 86400) advanceSeconds?: number;
  @ApiPropertyOptional({ description: 'Back to real time' }) @IsOptional() @IsIn([true]) reset?: true;
}
