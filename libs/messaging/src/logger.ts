/** What this lib logs through. Adapt pino with `{ info: (msg, ctx) => log.info(ctx, msg), … }`. */
export interface MessagingLogger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** Warnings and errors to stderr; routine information is dropped. */
export const consoleLogger: MessagingLogger = {
  info: () => undefined,
  warn: (message, context) => console.warn(`[messaging] ${message}`, context ?? ''),
  error: (message, context) => console.error(`[messaging] ${message}`, context ?? ''),
};

export const silentLogger: MessagingLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
