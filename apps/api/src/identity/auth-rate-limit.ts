import { SetMetadata } from '@nestjs/common';

/** Marks authentication routes, which get the stricter AUTH_RATE_LIMIT_PER_MINUTE. */
export const AUTH_RATE_LIMITED = 'fairshare:auth-rate-limited';
export const AuthRateLimited = () => SetMetadata(AUTH_RATE_LIMITED, true);
