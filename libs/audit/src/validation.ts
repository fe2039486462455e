import { InvalidAuditInputError } from './errors';

// Subject ids become part of a stream name (≤ 200 characters, `[A-Za-z0-9_.:-]`).
const SUBJECT_ID = /^[A-Za-z0-9._:-]{1,150}$/;

export function checkSubjectId(subjectId: string): void {
  if (!SUBJECT_ID.test(subjectId)) throw new InvalidAuditInputError('Invalid subject id');
}
