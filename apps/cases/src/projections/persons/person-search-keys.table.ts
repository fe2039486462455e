import type { DataSource } from 'typeorm';

/**
 * The erasable home of a person's keyed hashes (table `person_search_keys`, see cases.migrations):
 * written at registration, deleted at erasure. Nothing else in the database holds them, so once the
 * row is gone no keyed hash of an erased person's name or personal ID remains (issue 10 §5).
 */
export class PersonSearchKeysTable {
  constructor(private readonly db: DataSource) {}

  /** Idempotent: a retried registration keeps the first row. */
  async record(personId: string, nameIndex: string, personalIdIndex: string | undefined): Promise<void> {
    await this.db.query(`INSERT INTO person_search_keys (person_id, name_index, personal_id_index) VALUES ($1, $2, $3) ON CONFLICT (person_id) DO NOTHING`, [
      personId,
      nameIndex,
      personalIdIndex ?? null,
    ]);
  }

  async personalIdIndexes(personIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (personIds.length === 0) return new Map();
    const rows = (await this.db.query(
      `SELECT person_id, personal_id_index FROM person_search_keys WHERE person_id = ANY($1::uuid[]) AND personal_id_index IS NOT NULL`,
      [personIds],
    )) as { person_id: string; personal_id_index: string }[];
    return new Map(rows.map((r) => [r.person_id, r.personal_id_index]));
  }

  async erase(personId: string): Promise<void> {
    await this.db.query(`DELETE FROM person_search_keys WHERE person_id = $1`, [personId]);
  }
}
