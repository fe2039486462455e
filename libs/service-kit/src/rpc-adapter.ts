import { RemoteDomainError } from '@haidang/messaging';
import type { CommandFailure, CommandResult } from './command-pipeline';
import type { ChangeAnswer, HttpErrorTable } from './http-adapter';

/** A failed command as a request/reply refusal: the same status and code the HTTP route would answer. */
export function rpcErrorOf(failure: CommandFailure, table: HttpErrorTable): RemoteDomainError {
  switch (failure.kind) {
    case 'not-found':
      return new RemoteDomainError(404, 'not-found', `No such ${table.resource}.`);
    case 'version-conflict':
      return new RemoteDomainError(409, 'version-conflict', `The ${table.resource} changed since you read it. Read it again and retry.`);
    case 'rejected':
      return new RemoteDomainError(
        table.statuses?.[failure.error.code] ?? 422,
        failure.error.code,
        table.detail ? table.detail(failure.error) : failure.error.message,
      );
  }
}

/** The result as a reply (`{ id, version }`), or a refusal the caller turns into the same 4xx. */
export function answerRpc(result: CommandResult<unknown>, table: HttpErrorTable): ChangeAnswer {
  if (!result.ok) throw rpcErrorOf(result.failure, table);
  return { id: result.id, version: result.version };
}
