import { SetMetadata } from '@nestjs/common';

/**
 * The metadata key of routes open without a token. `@haidang/auth`'s `@Public()` and its global
 * guard use this same key, so that ops endpoints declared here stay open once auth is installed.
 */
export const IS_PUBLIC_KEY = 'isPublic';

/** Marks an ops route (health, metrics) as open without a token. Not for business routes. */
export const PublicRoute = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
