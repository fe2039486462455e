// Messages name ids and limits only: they reach logs and problem+json responses.

/** Bad input to an audit call (maps to HTTP 400). */
export class InvalidAuditInputError extends Error {
  override readonly name = 'InvalidAuditInputError';
}

/** No principal in the request context: an access nobody can be held to account for is refused. */
export class NotAttributableError extends Error {
  override readonly name = 'NotAttributableError';
  constructor(what: string) {
    super(`${what} needs an authenticated principal in the request context`);
  }
}

/** The principal has no unexpired break-glass grant for the subject (maps to HTTP 403). */
export class NoActiveBreakGlassError extends Error {
  override readonly name = 'NoActiveBreakGlassError';
  constructor(readonly subjectId: string) {
    super(`No active break-glass grant for subject ${subjectId}`);
  }
}
