import { createHash, randomBytes } from 'node:crypto';

/** Opaque secrets (refresh tokens, API keys, invite codes) are stored only as SHA-256 hashes. */
export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
export const randomToken = (prefix: string, bytes = 32): string => prefix + randomBytes(bytes).toString('base64url');

export const API_KEY_PREFIX = 'fs_live_';
export const REFRESH_TOKEN_PREFIX = 'fsr_';
export const INVITE_CODE_PREFIX = 'fsi_';
