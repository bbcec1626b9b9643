import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class AccountEntriesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit: number = 100;
  @ApiPropertyOptional({ description: 'The nextBefore of the previous page (a posting ID)' }) @IsOptional() @Matches(/^[1-9][0-9]{0,18}$/) before?: string;
}
