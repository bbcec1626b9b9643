import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';

const PERIOD = /^[0-9]{4}-(0[1-9]|1[0-2])$/;
const periodMessage = { message: 'period must be a month, YYYY-MM (UTC)' };

export class UsageLineDoc {
  @ApiPropertyOptional({ format: 'uuid', description: 'The work, by its Fairshare ID (or give contentHash)' }) workId?: string;
  @ApiPropertyOptional({ description: 'SHA-256 of the work’s content, 64 hex characters (or give workId)' }) contentHash?: string;
  @ApiProperty({ oneOf: [{ type: 'string', pattern: '^[0-9]+$' }, { type: 'integer' }], description: '1 to 10^15, in the licence’s usage unit' })
  units: string | number;
  @ApiPropertyOptional({ enum: ['train', 'fine_tune', 'retrieval', 'evaluation'] }) use?: string;
  @ApiPropertyOptional({ description: 'The model trained or served' }) modelId?: string;
}

export class CreateUsageReportDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() licenceId: string;
  @ApiProperty({ example: '2025-01' }) @IsString() @Matches(PERIOD, periodMessage) period: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'A processed report of the same licence and period that this one replaces' })
  @IsOptional()
  @IsUUID()
  supersedes?: string;
  /** Lines are checked one by one by the ingestion (a bad line is rejected with its code, not the request). */
  @ApiProperty({ type: [UsageLineDoc], description: 'At most 10,000 lines (more: 413 USAGE_REPORT_TOO_LARGE; use the upload)' })
  @IsArray()
  lines: unknown[];
}

export class UploadUsageReportQuery {
  @ApiProperty({ format: 'uuid' }) @IsUUID() licenceId: string;
  @ApiProperty({ example: '2025-01' }) @IsString() @Matches(PERIOD, periodMessage) period: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() supersedes?: string;
  @ApiPropertyOptional({ enum: ['csv', 'ndjson'], description: 'Default: from Content-Type (text/csv, application/x-ndjson)' })
  @IsOptional()
  @IsString()
  format?: string;
}

export class ListUsageReportsQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() licenceId?: string;
  @ApiPropertyOptional({ example: '2025-01' }) @IsOptional() @IsString() @Matches(PERIOD, periodMessage) period?: string;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() cursor?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class RejectionsQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}
