/**
 * Who may talk to the one backend session now. A connection holds it from its first message of a
 * cycle until the backend is idle again (ReadyForQuery, outside a transaction block); the others
 * wait in arrival order. Acquiring while holding it returns at once.
 */
export class SessionLock<Owner> {
  private owner: Owner | undefined;
  private readonly waiting: { readonly who: Owner; readonly grant: () => void }[] = [];

  holds(who: Owner): boolean {
    return this.owner === who;
  }

  acquire(who: Owner): Promise<void> {
    if (this.owner === undefined) this.owner = who;
    if (this.owner === who) return Promise.resolve();
    return new Promise((grant) => this.waiting.push({ who, grant }));
  }

  /** Passes the session to the longest waiter. Does nothing unless `who` holds it. */
  release(who: Owner): void {
    if (this.owner !== who) return;
    const next = this.waiting.shift();
    this.owner = next?.who;
    next?.grant();
  }

  get queued(): number {
    return this.waiting.length;
  }
}
