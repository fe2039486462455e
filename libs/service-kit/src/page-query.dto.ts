import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * The page of a list endpoint (`?page=`, from 1). A list's query DTO extends it and adds its own
 * filters; class-validator and OpenAPI read the inherited field like the list's own.
 */
export class PageQueryDto {
  @ApiPropertyOptional({ example: 1, minimum: 1, description: 'The page, from 1' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number' })
  @Min(1, { message: 'page must be 1 or more' })
  @Max(10_000, { message: 'page must be 10000 or less' })
  readonly page?: number;
}

/** What every list answers: the page asked for, its size, the number of rows in scope and filtered, and the page's items. */
export interface Page<TItem> {
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  readonly items: readonly TItem[];
}

/** Runs SQL with bind parameters on a read model (a list's own, which turns "not built yet" into its answer). */
export type ReadModelQuery = <TRow>(sql: string, params: unknown[]) => Promise<TRow[]>;

export interface PageSpec {
  /** The table (or a join), trusted SQL of the list's own. */
  readonly from: string;
  /** Conditions joined with AND; values only through `params` (`$1`, `$2`, …). */
  readonly where: readonly string[];
  readonly params: readonly unknown[];
  /** A total order (end with the key), so that pages neither repeat nor skip rows. */
  readonly orderBy: string;
  readonly page: number | undefined;
  readonly pageSize: number;
}

/**
 * One page of a list from a read model: the rows with their count in one statement. The count is a
 * scalar subquery (run once, an index-only scan where an index has the filtered columns), not a
 * window count, which made PostgreSQL read and sort every matching row before the LIMIT; the page
 * itself can then be read by an index in `orderBy` order (issue 17 §6). Past the last page no row
 * carries the count, so it is asked for on its own.
 */
export async function readPage<TRow, TItem>(query: ReadModelQuery, spec: PageSpec, toItem: (row: TRow) => TItem): Promise<Page<TItem>> {
  const page = spec.page ?? 1;
  const where = spec.where.length === 0 ? 'TRUE' : spec.where.join(' AND ');
  const params = [...spec.params];
  const count = `SELECT count(*) FROM ${spec.from} WHERE ${where}`;
  const rows = await query<TRow & { readonly page_total: string }>(
    `SELECT *, (${count}) AS page_total FROM ${spec.from} WHERE ${where}
     ORDER BY ${spec.orderBy} LIMIT ${spec.pageSize} OFFSET ${(page - 1) * spec.pageSize}`,
    params,
  );
  const first = rows[0];
  const total = first !== undefined ? Number(first.page_total) : page === 1 ? 0 : Number((await query<{ count: string }>(count, params))[0]?.count ?? 0);
  return { page, pageSize: spec.pageSize, total, items: rows.map((row) => toItem(row)) };
}
