import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
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
import { USES } from '@fairshare/domain';
import { MEDIA_TYPES } from '@fairshare/catalogue';

/** PostgreSQL text cannot hold NUL: refused with the other validation problems. */
// eslint-disable-next-line no-control-regex
const NoNul = (each = false) => Matches(/^[^\u0000]*$/, { each, message: '$property must not contain NUL characters' });
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value);

export class CreatorProfileDto {
  @ApiProperty() @Transform(trim) @IsString() @NoNul() @Length(1, 120) displayName: string;
  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2', example: 'FR' }) @IsOptional() @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' }) country?: string;
  @ApiPropertyOptional({ description: 'ISO 4217', example: 'EUR' }) @IsOptional() @Matches(/^[A-Z]{3}$/, { message: 'payoutCurrency must be an ISO 4217 code' }) payoutCurrency?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @NoNul() @MaxLength(4000) bio?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @NoNul(true) @MaxLength(2048, { each: true }) links?: string[];
}

export class CreateCatalogueDto {
  @ApiProperty() @Transform(trim) @IsString() @NoNul() @Length(1, 200) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @NoNul() @MaxLength(4000) description?: string;
}

export class UpdateCatalogueDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @NoNul() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @NoNul() @MaxLength(4000) description?: string;
}

export class IdentifiersDto {
  @ApiPropertyOptional() @IsOptional() @IsString() isbn?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() isrc?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() iswc?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() doi?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() url?: string;
}

/** Formats (hash, language, URL, identifiers) are checked by the same rule as CSV imports, with its codes. */
export class CreateWorkDto {
  @ApiProperty() @IsString() title: string;
  @ApiProperty({ enum: MEDIA_TYPES }) @IsString() mediaType: string;
  @ApiProperty({ example: 'en', description: 'BCP 47' }) @IsString() language: string;
  @ApiProperty({ description: 'SHA-256 of the content, 64 hex characters' }) @IsString() contentHash: string;
  @ApiPropertyOptional({ description: 'Size in bytes (a number or a string of digits)' }) @IsOptional() @Allow() sizeBytes?: string | number;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) tags?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() description?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() sourceUrl?: string;
  @ApiPropertyOptional({ type: IdentifiersDto }) @IsOptional() @ValidateNested() @Type(() => IdentifiersDto) identifiers?: IdentifiersDto;
}

export class ConsentDto {
  @ApiProperty() @IsBoolean() train: boolean;
  @ApiProperty() @IsBoolean() fineTune: boolean;
  @ApiProperty({ description: 'RAG / model input at inference' }) @IsBoolean() retrieval: boolean;
  @ApiProperty() @IsBoolean() evaluation: boolean;
  @ApiProperty({ description: 'Commercial licensees allowed' }) @IsBoolean() commercial: boolean;
  @ApiProperty({ description: 'Included in the blanket collective licence' }) @IsBoolean() collective: boolean;
  @ApiPropertyOptional({ type: [String], description: 'Licensee organisations excluded' })
  @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsUUID('all', { each: true }) excludedOrganisationIds?: string[];
}

export class WorkSelectionDto {
  @ApiPropertyOptional({ enum: MEDIA_TYPES }) @IsOptional() @IsIn(MEDIA_TYPES) mediaType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @NoNul() @MaxLength(35) language?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @NoNul() @MaxLength(64) tag?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(100000) @IsUUID('all', { each: true }) workIds?: string[];
}

export class BulkConsentDto {
  @ApiProperty({ type: ConsentDto }) @IsDefined() @ValidateNested() @Type(() => ConsentDto) consent: ConsentDto;
  @ApiPropertyOptional({ type: WorkSelectionDto, description: 'Which works (all of the catalogue when absent)' })
  @IsOptional() @ValidateNested() @Type(() => WorkSelectionDto) filter?: WorkSelectionDto;
}

export class HolderDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() creatorId?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsEmail() @MaxLength(254) email?: string;
  @ApiProperty({ minimum: 1, maximum: 10000 }) @IsInt() @Min(1) @Max(10000) shareBps: number;
}

export class SetSplitDto {
  @ApiProperty({ type: [HolderDto] }) @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => HolderDto) holders: HolderDto[];
  @ApiPropertyOptional({ description: 'Default: now' }) @IsOptional() @IsISO8601({ strict: true }) effectiveAt?: string;
}

export class AcceptInvitationDto {
  @ApiProperty() @IsString() @NoNul() @Length(10, 200) token: string;
}

export class ResolveDisputeDto {
  @ApiProperty() @IsUUID() keepWorkId: string;
  @ApiPropertyOptional({ description: 'Merge the holders of every claim into the kept work’s split' }) @IsOptional() @IsBoolean() merge?: boolean;
}

export class ListWorksQuery {
  @ApiPropertyOptional({ description: 'Full-text query on title and description' }) @IsOptional() @IsString() @NoNul() @MaxLength(200) q?: string;
  @ApiPropertyOptional({ enum: MEDIA_TYPES }) @IsOptional() @IsIn(MEDIA_TYPES) mediaType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @NoNul() @MaxLength(35) language?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @NoNul() @MaxLength(64) tag?: string;
  @ApiPropertyOptional({ enum: USES, isArray: true, description: 'Uses that must be allowed (comma-separated)' })
  @IsOptional() @Transform(toList) @IsArray() @IsIn(USES, { each: true }) use?: ('train' | 'fine_tune' | 'retrieval' | 'evaluation')[];
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() collective?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsUUID() catalogueId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() creatorId?: string;
  @ApiPropertyOptional({ description: 'Your own works, drafts included' }) @IsOptional() @Transform(toBool) @IsBoolean() mine?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @NoNul() @MaxLength(300) cursor?: string;
  @ApiPropertyOptional({ default: 20 }) @IsOptional() @Transform(({ value }) => Number(value)) @IsInt() @Min(1) @Max(100) limit = 20;
}

/** GET /v1/works: one keyset page, newest first (created_at DESC, id DESC), and the total. */
export class WorksPageDto {
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Works of this page, newest first' }) data!: object[];
  @ApiProperty({
    description:
      'Number of matching works: exact when totalRelation is "eq"; when more than 1,000 works match, 1000 with totalRelation "gte" (at least). Counting stops there so that a broad query costs no more than a narrow one. A public search\'s "gte" answer may be up to SEARCH_CAPPED_TOTAL_TTL_SECONDS (default 10 s) old; exact totals and the works of the page are always current.',
    example: 42,
  })
  total!: number;
  @ApiProperty({ enum: ['eq', 'gte'], description: '"eq": total is exact; "gte": at least total works match' }) totalRelation!: 'eq' | 'gte';
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor!: string | null;
}

export class RejectionsQuery {
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => Number(value)) @IsInt() @Min(0) afterRow = 0;
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => Number(value)) @IsInt() @Min(1) @Max(5000) limit = 1000;
}
