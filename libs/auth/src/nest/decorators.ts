import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@haidang/request-context';
import { principalOf } from './principal-holder';

/** The same key `@haidang/http-platform` marks its health, metrics and docs routes with. */
export const IS_PUBLIC = 'isPublic';
export const AUTHORIZE_ACTION = 'haidang:auth:action';

/** No token needed. For health, metrics and API docs only: everything else names an action. */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * Ties an HTTP route or a `@MessagePattern`/`@EventPattern` handler to a policy action; the
 * PolicyGuard refuses principals the policy does not allow. On a class, it applies to every
 * handler without its own.
 */
export const Authorize = (action: string): ClassDecorator & MethodDecorator => SetMetadata(AUTHORIZE_ACTION, action);

/** The verified principal of the request or message (`@CurrentPrincipal() principal: Principal`). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal | undefined => principalOf(context));
