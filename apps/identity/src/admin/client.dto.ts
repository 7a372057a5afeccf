import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsDisplayText } from '#common';

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** A business system (OIDC client) as an administrator registers it. */
export class ClientDto {
  @ApiProperty({ example: 'tax-portal', description: 'Client id: lower case, digits, - and _' })
  @Matches(/^[a-z0-9][a-z0-9_-]{2,63}$/)
  clientId!: string;

  @ApiProperty({ example: '电子税务局 Tax portal' })
  @IsString()
  @MaxLength(200)
  @IsDisplayText()
  name!: string;

  @ApiPropertyOptional({ description: 'First-party systems skip the consent page' })
  @IsOptional()
  @IsBoolean()
  firstParty?: boolean;

  @ApiPropertyOptional({ type: [String], example: ['https://tax.example.gov.cn/callback'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl(URL_OPTIONS, { each: true })
  redirectUris?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl(URL_OPTIONS, { each: true })
  postLogoutRedirectUris?: string[];

  @ApiPropertyOptional({ description: 'OpenID Connect Back-Channel Logout 1.0 endpoint' })
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  backchannelLogoutUri?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['authorization_code', 'refresh_token'],
  })
  @IsOptional()
  @IsArray()
  @IsIn(['authorization_code', 'refresh_token', 'client_credentials'], { each: true })
  grantTypes?: string[];

  @ApiPropertyOptional({ type: [String], example: ['openid', 'profile', 'seal:apply'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  scopes?: string[];

  @ApiPropertyOptional({ enum: ['public', 'pairwise'] })
  @IsOptional()
  @IsIn(['public', 'pairwise'])
  subjectType?: 'public' | 'pairwise';

  @ApiPropertyOptional({ enum: ['client_secret_basic', 'private_key_jwt', 'none'] })
  @IsOptional()
  @IsIn(['client_secret_basic', 'private_key_jwt', 'none'])
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'private_key_jwt' | 'none';

  @ApiPropertyOptional({ description: 'Public keys (JWKS) for private_key_jwt (RFC 7523)' })
  @IsOptional()
  @IsObject()
  jwks?: { keys: Record<string, unknown>[] };

  @ApiPropertyOptional({ description: 'Or where the keys are published' })
  @IsOptional()
  @IsUrl({ ...URL_OPTIONS, protocols: ['https'] })
  jwksUri?: string;
}

/** A change to a registered client: the same fields, all optional, plus enabled. */
export class ClientPatchDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) @IsDisplayText() name?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() firstParty?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsUrl(URL_OPTIONS, { each: true })
  redirectUris?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsUrl(URL_OPTIONS, { each: true })
  postLogoutRedirectUris?: string[];

  @ApiPropertyOptional() @IsOptional() @IsUrl(URL_OPTIONS) backchannelLogoutUri?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsIn(['authorization_code', 'refresh_token', 'client_credentials'], { each: true })
  grantTypes?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  scopes?: string[];

  @ApiPropertyOptional({ enum: ['public', 'pairwise'] })
  @IsOptional()
  @IsIn(['public', 'pairwise'])
  subjectType?: 'public' | 'pairwise';

  @ApiPropertyOptional() @IsOptional() @IsObject() jwks?: { keys: Record<string, unknown>[] };
}

type Fields = Omit<ClientPatchDto, 'name' | 'firstParty' | 'enabled'> &
  Pick<ClientDto, 'tokenEndpointAuthMethod' | 'jwksUri'>;

/** The DTO's fields under their RFC 7591 metadata names, as the provider reads them. */
export function toMetadata(dto: Fields, base: Record<string, unknown> = {}) {
  const m: Record<string, unknown> = { ...base };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) m[key] = value;
  };
  set('redirect_uris', dto.redirectUris);
  set('post_logout_redirect_uris', dto.postLogoutRedirectUris);
  set('backchannel_logout_uri', dto.backchannelLogoutUri);
  if (dto.backchannelLogoutUri) m.backchannel_logout_session_required = true;
  set('grant_types', dto.grantTypes);
  set('scope', dto.scopes?.join(' '));
  set('subject_type', dto.subjectType);
  set('token_endpoint_auth_method', dto.tokenEndpointAuthMethod);
  set('jwks', dto.jwks);
  set('jwks_uri', dto.jwksUri);
  m.redirect_uris ??= [];
  m.grant_types ??= ['authorization_code'];
  m.response_types = (m.grant_types as string[]).includes('authorization_code') ? ['code'] : [];
  return m;
}
