import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';

export class CreatePayoutRunDto {
  @ApiProperty({ example: 'EUR', description: 'ISO 4217: the run pays every payable balance in this currency.' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code in upper case' })
  currency: string;
}

export class ReconciliationQuery {
  @ApiProperty({ example: '2026-01-01T00:00:00Z', description: 'Inclusive.' }) @IsISO8601({ strict: true }) from: string;
  @ApiProperty({ example: '2026-02-01T00:00:00Z', description: 'Exclusive.' }) @IsISO8601({ strict: true }) to: string;
}

export class PageQuery {
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => Number(value)) @IsInt() @Min(1) @Max(500) limit = 100;
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => Number(value)) @IsInt() @Min(0) offset = 0;
}

export class ListPayoutRunsQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'EUR' }) @IsOptional() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code like EUR' }) currency?: string;
  @ApiPropertyOptional({ enum: ['preview', 'approved', 'executing', 'completed', 'failed'] })
  @IsOptional() @IsIn(['preview', 'approved', 'executing', 'completed', 'failed']) status?: 'preview' | 'approved' | 'executing' | 'completed' | 'failed';
}
