import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';

export class StartRoyaltyRunDto {
  @ApiProperty({ example: '2026-01', description: 'The period (calendar month, UTC) to distribute.' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period must be YYYY-MM' })
  period: string;
}

export class ListRoyaltyRunsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 24 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit = 24;

  @ApiPropertyOptional({ description: 'Only runs of periods before this one (YYYY-MM).' })
  @IsOptional() @Matches(/^\d{4}-(0[1-9]|1[0-2])$/)
  before?: string;
}

export class RoyaltyRunCreatorsQuery {
  @ApiProperty({ description: 'Part of a creator’s name (2 to 100 characters), or their ID or e-mail address exactly.', minLength: 2, maxLength: 100 })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString() @Length(2, 100)
  q: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 20 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(50)
  limit = 20;
}

export class RoyaltyLinesQuery {
  @ApiPropertyOptional({ description: 'Only the lines of this holder key (creator or invitation ID).' })
  @IsOptional() @IsUUID()
  holder?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 5000, default: 500 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(5000)
  limit = 500;

  @ApiPropertyOptional({ description: 'Cursor: the nextCursor of the previous page.' })
  @IsOptional() @Matches(/^[A-Za-z0-9_-]+$/)
  cursor?: string;
}

export class StatementQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv', 'pdf'], default: 'json' })
  @IsOptional() @IsIn(['json', 'csv', 'pdf'])
  format: 'json' | 'csv' | 'pdf' = 'json';

  @ApiPropertyOptional({ description: 'Finance only: whose statement.' })
  @IsOptional() @IsUUID()
  creatorId?: string;
}

export class StatementsQuery {
  @ApiPropertyOptional({ description: 'Finance only: whose statements.' })
  @IsOptional() @IsUUID()
  creatorId?: string;
}
