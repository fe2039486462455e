import type { Server } from 'node:http';
import type { NextFunction, PlatformRequest, PlatformResponse } from '../http-types';

/**
 * A service that has been told to stop (SIGTERM). Readiness answers 503 from that moment, so the
 * load balancer stops sending new requests, while the requests still arriving are served; answers
 * say `Connection: close` so clients' keep-alive connections move to another replica.
 */
export class DrainState {
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  begin(): void {
    this.draining = true;
  }
}

export function drainMiddleware(state: DrainState) {
  return (_request: PlatformRequest, response: PlatformResponse, next: NextFunction): void => {
    if (state.isDraining) response.setHeader('Connection', 'close');
    next();
  };
}

/**
 * Stops listening and resolves when the requests in progress have been answered. Idle keep-alive
 * connections are closed at once; whatever is still running after `graceMs` is cut (the
 * orchestrator's own grace period is the hard limit above this one).
 */
export function closeGracefully(server: Server, graceMs: number): Promise<'drained' | 'cut'> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve('drained');
      return;
    }
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve('cut');
    }, graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve('drained');
    });
    server.closeIdleConnections();
  });
}
