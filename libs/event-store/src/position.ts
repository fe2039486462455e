import type { Position } from './types';

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** `commit:prepare`, the form checkpoints and headers carry. */
export function formatPosition(position: Position): string {
  return `${position.commit}:${position.prepare}`;
}

export function parsePosition(text: string): Position {
  const match = /^(\d+):(\d+)$/.exec(text);
  if (!match) throw new Error(`Invalid position: ${text}`);
  return { commit: BigInt(match[1] as string), prepare: BigInt(match[2] as string) };
}
