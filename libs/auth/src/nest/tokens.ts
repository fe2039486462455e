/** Injection tokens of AuthModule. */
export const JWT_VERIFIER = Symbol('haidang:auth:jwt-verifier');
export const AUTH_POLICY = Symbol('haidang:auth:policy');
/** The service's clock (the kit's): the day a request is handled, for agency types with end dates. */
export const AUTH_CLOCK = Symbol('haidang:auth:clock');

/**
 * The NATS header a caller forwards the user's bearer token in, exactly as received
 * (`Bearer <jwt>`): the receiving service verifies it the same way as over HTTP, so a service
 * call acts with the user's rights, never with more.
 */
export const AUTHORIZATION_HEADER = 'Authorization';
