import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { USES, type Use } from '@fairshare/domain';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const DIGITS = /^[1-9][0-9]{0,17}$/;
const DIGITS_MESSAGE = 'must be a string of digits (minor units), e.g. "1250"';

export class OfferTierDto {
  @ApiProperty({ example: 'small' }) @IsString() @Matches(/^[a-z0-9][a-z0-9_-]{0,39}$/) code: string;
  @ApiProperty({ example: 'Annual revenue under €1M' }) @Transform(trim) @IsString() @Length(1, 200) label: string;
  @ApiProperty({ example: '50000' }) @IsString() @Matches(DIGITS, { message: `priceMinor ${DIGITS_MESSAGE}` }) priceMinor: string;
}

export class OfferFilterDto {
  @ApiProperty({ description: 'Every consenting work of this catalogue, resolved when the offer is created' }) @IsUUID() catalogueId: string;
}

export class CreateOfferDto {
  @ApiProperty({ enum: ['collective', 'dataset'] }) @IsIn(['collective', 'dataset']) kind: 'collective' | 'dataset';
  @ApiProperty() @Transform(trim) @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) description?: string;
  @ApiProperty({ enum: USES, isArray: true }) @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(USES, { each: true }) uses: Use[];
  @ApiProperty() @IsBoolean() commercial: boolean;
  @ApiProperty({ example: 'EUR' }) @IsString() @Matches(/^[A-Z]{3}$/) currency: string;
  @ApiProperty({ example: '100000', description: 'Minor units, string of digits' }) @IsString() @Matches(DIGITS, { message: `priceMinor ${DIGITS_MESSAGE}` }) priceMinor: string;
  @ApiProperty({ nullable: true, description: 'null = perpetual' }) @IsOptional() @IsInt() @Min(1) @Max(36500) termDays: number | null = null;
  @ApiProperty({ example: 1000 }) @IsInt() @Min(0) @Max(10000) adminFeeBps: number;
  @ApiProperty({ enum: ['usage', 'equal'] }) @IsIn(['usage', 'equal']) distributionKey: 'usage' | 'equal';
  @ApiProperty({ example: 'tokens' }) @IsString() @Matches(/^[a-z][a-z0-9_]{0,39}$/) usageUnit: string;
  @ApiPropertyOptional({ type: [OfferTierDto] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => OfferTierDto) tiers?: OfferTierDto[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(100000) @IsUUID('all', { each: true }) workIds?: string[];
  @ApiPropertyOptional({ type: OfferFilterDto }) @IsOptional() @ValidateNested() @Type(() => OfferFilterDto) filter?: OfferFilterDto;
}

export class SetOfferActiveDto {
  @ApiProperty() @IsBoolean() active: boolean;
}

export class CreateLicenceDto {
  @ApiProperty() @IsUUID() offerId: string;
  @ApiPropertyOptional({ description: 'Tier code, required when the offer has tiers' }) @IsOptional() @IsString() @Length(1, 40) tier?: string;
}

export class CreateRefundDto {
  @ApiProperty({ example: '500' }) @IsString() @Matches(DIGITS, { message: `amountMinor ${DIGITS_MESSAGE}` }) amountMinor: string;
}

export class PageQuery {
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => Number(value)) @IsInt() @Min(1) @Max(500) limit = 50;
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => Number(value)) @IsInt() @Min(0) offset = 0;
}

export class ListLicencesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['pending_payment', 'active', 'cancelled', 'revoked'] })
  @IsOptional()
  @IsIn(['pending_payment', 'active', 'cancelled', 'revoked'])
  status?: 'pending_payment' | 'active' | 'cancelled' | 'revoked';
  @ApiPropertyOptional({ description: 'Finance/admin only' }) @IsOptional() @IsUUID() organisationId?: string;
}

export class ListOffersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Include closed offers (staff)' }) @IsOptional() @Transform(({ value }) => value === 'true' || value === true) @IsBoolean() includeClosed = false;
}

export class ManifestQuery {
  @ApiPropertyOptional({ enum: ['ndjson', 'csv'] }) @IsOptional() @IsIn(['ndjson', 'csv']) format: 'ndjson' | 'csv' = 'ndjson';
}
