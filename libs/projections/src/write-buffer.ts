import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Buffered writes for handlers, the fast path of a projection. One INSERT per event costs a round
 * trip and TypeORM's query building each time, which caps a rebuild at a few thousand events/s on
 * this hardware; buffering the writes of a whole batch and sending them as a few multi-row
 * statements is what makes 20k+ events/s possible.
 *
 * Semantics, so that a batch of N events gives exactly what N one-event transactions give:
 * - writes to the same row coalesce (an upsert replaces the earlier values of the columns it names,
 *   increments add up, a delete is kept in order with the upserts around it); a write joins an
 *   earlier statement of its table only if no write in between touches the same row;
 * - writes to one table keep their order; writes to different tables may be sent in another order
 *   than they were made (declare foreign keys between read-model tables DEFERRABLE INITIALLY DEFERRED);
 * - the buffer is flushed before any query a handler runs through its EntityManager, so a handler
 *   always reads what earlier events of its batch wrote (the runner arranges this), and before the
 *   checkpoint is written.
 * Columns are plain columns addressed by property name: no embeddeds or relation objects (write
 * the foreign-key column instead), no create/update-date or version magic (database defaults apply
 * on insert only), no subscribers or listeners. Use the EntityManager for anything else.
 */
export interface ProjectionWrites {
  /**
   * INSERT … ON CONFLICT (primary key) DO UPDATE SET the columns given. The row names its whole
   * primary key and every NOT NULL column without a default: PostgreSQL checks the row it would insert
   * before it finds the conflict. Columns listed in `increment` are added to (and inserted as given).
   * To change some columns of a row that exists, use `update`.
   */
  upsert<T extends ObjectLiteral>(target: EntityTarget<T>, row: Partial<T>, options?: WriteOptions<T>): void;
  /** UPDATE the row with this primary key (nothing happens if there is none); `increment` columns are added to. */
  update<T extends ObjectLiteral>(target: EntityTarget<T>, key: Partial<T>, values: Partial<T>, options?: WriteOptions<T>): void;
  /** Adds `deltas` to the row with this primary key, inserting it with `deltas` as values when absent. */
  increment<T extends ObjectLiteral>(target: EntityTarget<T>, key: Partial<T>, deltas: { readonly [K in keyof T]?: number | bigint }): void;
  /** DELETE by primary key; deleting a row that is not there is not an error. */
  delete<T extends ObjectLiteral>(target: EntityTarget<T>, key: Partial<T>): void;
}

export interface WriteOptions<T> {
  /** Columns whose given value is added to the stored one rather than replacing it. */
  readonly increment?: readonly (keyof T & string)[];
}

/** A column as the buffer sees it: how to name it and how to turn a property value into a parameter. */
export interface ColumnShape {
  readonly property: string;
  readonly column: string;
  prepare(value: unknown): unknown;
}

export interface TableShape {
  /** Unqualified: the runner's search_path picks the projection version's schema. */
  readonly table: string;
  readonly primary: readonly ColumnShape[];
  column(property: string): ColumnShape | undefined;
}

/** One multi-row statement to be: an upsert or a delete of many rows of one table. */
export interface PlannedRun {
  readonly shape: TableShape;
  readonly operation: Operation;
  readonly columns: readonly ColumnShape[];
  readonly adds: readonly boolean[];
  /** Raw property values, in `columns` order; no two rows share a primary key. */
  readonly rows: readonly (readonly unknown[])[];
}

/** Column name → SQL type (`format_type` output) of a read-model table in the projection's schema. */
export type ColumnTypes = (table: string) => Promise<ReadonlyMap<string, string>>;

export interface Statement {
  readonly sql: string;
  readonly params: unknown[];
}

export type Operation = 'upsert' | 'update' | 'delete';

interface Run {
  readonly operation: Operation;
  readonly signature: string;
  /** Primary-key columns first, then the others in the order of `signature`. */
  readonly columns: readonly ColumnShape[];
  /** Per column: added to on conflict rather than overwritten. */
  readonly adds: readonly boolean[];
  /** Row key → raw property values, in `columns` order. */
  readonly rows: Map<string, unknown[]>;
}

/** PostgreSQL takes at most 65,535 bind parameters per statement; stay well below. */
const MAX_PARAMS = 30_000;

export class WriteBuffer {
  /** Per table, in the order tables were first written; per table, runs in the order made. */
  private readonly tables = new Map<TableShape, Run[]>();
  private pending = 0;

  get isEmpty(): boolean {
    return this.pending === 0;
  }

  /** Sets the columns of `row`, except those in `increment`, which are added to; inserts the row if absent. */
  upsert(shape: TableShape, row: Readonly<Record<string, unknown>>, increment: readonly string[] = []): void {
    this.write(shape, 'upsert', row, increment);
  }

  /** Sets (or adds to, for `increment`) the columns of `values` in the row with this key, if there is one. */
  update(shape: TableShape, key: Readonly<Record<string, unknown>>, values: Readonly<Record<string, unknown>>, increment: readonly string[] = []): void {
    const row: Record<string, unknown> = { ...values };
    for (const c of shape.primary) {
      if (c.property in row && row[c.property] !== undefined) throw new Error(`${shape.table}: update cannot change primary-key column ${c.property}`);
      row[c.property] = key[c.property];
    }
    if (definedProperties(row).length === shape.primary.length) return;
    this.write(shape, 'update', row, increment);
  }

  /** Adds `deltas` to the row with this key, creating it with `deltas` as its values when absent. */
  increment(shape: TableShape, key: Readonly<Record<string, unknown>>, deltas: Readonly<Record<string, unknown>>): void {
    const properties = definedProperties(deltas);
    if (properties.length === 0) return;
    this.upsert(shape, { ...pick(key, shape.primary), ...deltas }, properties);
  }

  delete(shape: TableShape, key: Readonly<Record<string, unknown>>): void {
    const values = shape.primary.map((c) => key[c.property]);
    this.add(shape, 'delete', 'delete', shape.primary, [], values, () => undefined);
  }

  /** Everything buffered, as runs in an order that gives the same result as the writes made; empties the buffer. */
  drain(): PlannedRun[] {
    const plan: PlannedRun[] = [];
    for (const [shape, runs] of this.tables) {
      for (const run of runs) plan.push({ shape, operation: run.operation, columns: run.columns, adds: run.adds, rows: [...run.rows.values()] });
    }
    this.tables.clear();
    this.pending = 0;
    return plan;
  }

  /**
   * Sends everything buffered. `columnTypes` gives the SQL types of a table's columns (an UPDATE …
   * FROM (VALUES …) cannot infer its parameters' types from the target the way an INSERT does).
   */
  async flush(execute: (sql: string, params: unknown[]) => Promise<unknown>, columnTypes?: ColumnTypes): Promise<void> {
    for (const run of this.drain()) {
      const types = run.operation === 'update' || isIncrementOnly(run) ? await requireTypes(columnTypes, run.shape.table) : undefined;
      for (const statement of runStatements(run, types)) await execute(statement.sql, statement.params);
    }
  }

  private write(shape: TableShape, operation: 'upsert' | 'update', row: Readonly<Record<string, unknown>>, increment: readonly string[]): void {
    const properties = definedProperties(row).filter((p) => !isPrimary(shape, p));
    for (const p of increment) {
      if (isPrimary(shape, p)) throw new Error(`${shape.table}: cannot increment primary-key column ${p}`);
      const delta = row[p];
      if (typeof delta !== 'number' && typeof delta !== 'bigint') throw new Error(`${shape.table}.${p}: an increment must be a number or a bigint`);
    }
    const added = new Set(increment);
    const columns = [...shape.primary, ...properties.map((p) => columnOf(shape, p))];
    const values = columns.map((c) => row[c.property]);
    const adds = columns.map((c) => added.has(c.property));
    const signature = `${operation}:${columns.map((c) => (added.has(c.property) ? `+${c.column}` : c.column)).join(',')}`;
    this.add(shape, operation, signature, columns, adds, values, (existing) => {
      for (let i = shape.primary.length; i < values.length; i++) existing[i] = adds[i] ? sum(existing[i], values[i], shape.table) : values[i];
    });
  }

  private add(
    shape: TableShape,
    operation: Operation,
    signature: string,
    columns: readonly ColumnShape[],
    adds: readonly boolean[],
    values: unknown[],
    merge: (existing: unknown[]) => void,
  ): void {
    const key = rowKey(shape, values);
    let runs = this.tables.get(shape);
    if (!runs) {
      runs = [];
      this.tables.set(shape, runs);
    }
    // The write may join any run from the last one that touches the same row onwards: moving it
    // there passes only runs that never touch its row, so no outcome changes. Joining an earlier
    // run would move it before a write to the same row and could.
    let from = runs.length - 1;
    while (from >= 0 && !(runs[from] as Run).rows.has(key)) from--;
    let run: Run | undefined;
    for (let i = Math.max(0, from); i < runs.length && !run; i++) if ((runs[i] as Run).signature === signature) run = runs[i];
    if (!run) {
      run = { operation, signature, columns, adds, rows: new Map() };
      runs.push(run);
    }
    const existing = run.rows.get(key);
    if (existing) merge(existing);
    else {
      run.rows.set(key, values);
      this.pending++;
    }
  }
}

function definedProperties(row: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(row)
    .filter((p) => row[p] !== undefined)
    .sort();
}

function isPrimary(shape: TableShape, property: string): boolean {
  return shape.primary.some((c) => c.property === property);
}

function columnOf(shape: TableShape, property: string): ColumnShape {
  const column = shape.column(property);
  if (!column) throw new Error(`${shape.table}: ${property} is not a plain column (buffered writes take plain columns only; use the EntityManager)`);
  return column;
}

function rowKey(shape: TableShape, values: readonly unknown[]): string {
  const parts: string[] = [];
  for (let i = 0; i < shape.primary.length; i++) {
    const column = shape.primary[i] as ColumnShape;
    const value = values[i];
    if (value === undefined || value === null) throw new Error(`${shape.table}: primary-key column ${column.property} is missing`);
    parts.push(keyPart(column.prepare(value)));
  }
  return parts.join('\u0000');
}

function keyPart(value: unknown): string {
  if (value instanceof Date) return `d${value.toISOString()}`;
  // One column has one type: 7 and '7' given for an integer key are the same row to PostgreSQL.
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return `v${String(value)}`;
  return `j${JSON.stringify(value)}`;
}

function sum(a: unknown, b: unknown, table: string): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a + b;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return BigInt(a) + BigInt(b);
  }
  throw new Error(`${table}: increments must be numbers or bigints`);
}

/** The SQL of a run, split so that no statement exceeds the bind-parameter limit. An update needs its columns' types. */
export function runStatements(run: PlannedRun, types?: ReadonlyMap<string, string>): Statement[] {
  const width = run.columns.length;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / width));
  const casts =
    run.operation === 'update' || isIncrementOnly(run) ? run.columns.map((c) => `::${typeOf(types, run.shape.table, c.column)}`) : run.columns.map(() => '');
  const statements: Statement[] = [];
  for (let start = 0; start < run.rows.length; start += perStatement) {
    const chunk = run.rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    const tuples = chunk.map((values) => {
      const placeholders = run.columns.map((column, i) => {
        params.push(prepareParameter(column.prepare(values[i])));
        return `$${params.length}${casts[i]}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    statements.push({ sql: statementSql(run, tuples), params });
  }
  return statements;
}

async function requireTypes(columnTypes: ColumnTypes | undefined, table: string): Promise<ReadonlyMap<string, string>> {
  if (!columnTypes) throw new Error(`${table}: buffered updates need the columns' types`);
  return columnTypes(table);
}

function typeOf(types: ReadonlyMap<string, string> | undefined, table: string, column: string): string {
  const type = types?.get(column);
  if (!type) throw new Error(`${table}.${column}: column type unknown`);
  return type;
}

/** pg sends a JS bigint as text anyway; being explicit keeps it exact. */
function prepareParameter(value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function statementSql(run: PlannedRun, tuples: string[]): string {
  const { shape } = run;
  const table = quoteIdent(shape.table);
  const keyColumns = shape.primary.map((c) => quoteIdent(c.column)).join(', ');
  if (run.operation === 'delete') {
    return shape.primary.length === 1
      ? `DELETE FROM ${table} WHERE ${keyColumns} IN (${tuples.map((t) => t.slice(1, -1)).join(', ')})`
      : `DELETE FROM ${table} WHERE (${keyColumns}) IN (${tuples.join(', ')})`;
  }
  if (run.operation === 'update') {
    const columns = run.columns.map((c) => quoteIdent(c.column));
    const sets = run.columns.slice(shape.primary.length).map((c, i) => {
      const column = quoteIdent(c.column);
      return run.adds[shape.primary.length + i] ? `${column} = COALESCE("_current".${column}, 0) + "_new".${column}` : `${column} = "_new".${column}`;
    });
    const match = shape.primary.map((c) => `"_current".${quoteIdent(c.column)} = "_new".${quoteIdent(c.column)}`).join(' AND ');
    return `UPDATE ${table} AS "_current" SET ${sets.join(', ')} FROM (VALUES ${tuples.join(', ')}) AS "_new" (${columns.join(', ')}) WHERE ${match}`;
  }
  if (isIncrementOnly(run)) return incrementSql(run, tuples);
  const insert = `INSERT INTO ${table} AS "_current" (${run.columns.map((c) => quoteIdent(c.column)).join(', ')}) VALUES ${tuples.join(', ')}`;
  const sets = run.columns.slice(shape.primary.length).map((c, i) => {
    const column = quoteIdent(c.column);
    return run.adds[shape.primary.length + i] ? `${column} = COALESCE("_current".${column}, 0) + EXCLUDED.${column}` : `${column} = EXCLUDED.${column}`;
  });
  return sets.length === 0 ? `${insert} ON CONFLICT (${keyColumns}) DO NOTHING` : `${insert} ON CONFLICT (${keyColumns}) DO UPDATE SET ${sets.join(', ')}`;
}

/** Every non-key column is added to: an `increment`, which must not need the row's other columns when the row exists. */
function isIncrementOnly(run: PlannedRun): boolean {
  return run.operation === 'upsert' && run.columns.length > run.shape.primary.length && run.adds.every((add, i) => add || i < run.shape.primary.length);
}

/**
 * An increment: adds to the rows that exist, inserts only those that do not. Not INSERT … ON
 * CONFLICT: PostgreSQL checks the NOT NULL columns of the row it would insert before it finds the
 * conflict, so an increment of an existing row of a table with NOT NULL columns would fail (and with
 * it the batch, and an update of the same row made before it in the same event).
 */
function incrementSql(run: PlannedRun, tuples: string[]): string {
  const { shape } = run;
  const table = quoteIdent(shape.table);
  const columns = run.columns.map((c) => quoteIdent(c.column));
  const keys = shape.primary.map((c) => quoteIdent(c.column));
  const sets = run.columns
    .slice(shape.primary.length)
    .map((c) => `${quoteIdent(c.column)} = COALESCE("_current".${quoteIdent(c.column)}, 0) + "_new".${quoteIdent(c.column)}`);
  const match = (left: string) => keys.map((k) => `${left}.${k} = "_new".${k}`).join(' AND ');
  return (
    `WITH "_new" (${columns.join(', ')}) AS (VALUES ${tuples.join(', ')}), ` +
    `"_updated" AS (UPDATE ${table} AS "_current" SET ${sets.join(', ')} FROM "_new" WHERE ${match('"_current"')} RETURNING ${keys.map((k) => `"_current".${k}`).join(', ')}) ` +
    `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.map((c) => `"_new".${c}`).join(', ')} FROM "_new" ` +
    `WHERE NOT EXISTS (SELECT 1 FROM "_updated" WHERE ${match('"_updated"')})`
  );
}

function pick(row: Readonly<Record<string, unknown>>, columns: readonly ColumnShape[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const c of columns) picked[c.property] = row[c.property];
  return picked;
}

export function quoteIdent(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

const shapes = new WeakMap<EntityMetadata, TableShape>();

/** The buffer's view of a TypeORM entity, built once per metadata. */
export function tableShapeOf(dataSource: DataSource, target: EntityTarget<ObjectLiteral>): TableShape {
  const metadata = dataSource.getMetadata(target);
  let shape = shapes.get(metadata);
  if (!shape) {
    shape = buildTableShape(dataSource, metadata);
    shapes.set(metadata, shape);
  }
  return shape;
}

function buildTableShape(dataSource: DataSource, metadata: EntityMetadata): TableShape {
  if (metadata.schema) {
    throw new Error(`Entity ${metadata.name} is bound to schema ${metadata.schema}; projection entities must not name a schema`);
  }
  const driver = dataSource.driver;
  const columns = new Map<string, ColumnShape>();
  for (const c of metadata.columns) {
    if (c.embeddedMetadata || c.relationMetadata || c.isVirtual) continue;
    columns.set(c.propertyName, { property: c.propertyName, column: c.databaseName, prepare: (value) => driver.preparePersistentValue(value, c) });
  }
  const primary = metadata.primaryColumns.map((c) => {
    const column = columns.get(c.propertyName);
    if (!column) throw new Error(`Entity ${metadata.name}: primary-key column ${c.propertyName} is not a plain column`);
    return column;
  });
  if (primary.length === 0) throw new Error(`Entity ${metadata.name} has no primary key`);
  return { table: metadata.tableName, primary, column: (property) => columns.get(property) };
}

/** ProjectionWrites over TypeORM metadata. */
export class EntityWriteBuffer implements ProjectionWrites {
  readonly buffer = new WriteBuffer();

  constructor(private readonly dataSource: DataSource) {}

  upsert<T extends ObjectLiteral>(target: EntityTarget<T>, row: Partial<T>, options?: WriteOptions<T>): void {
    this.buffer.upsert(tableShapeOf(this.dataSource, target), row, options?.increment);
  }

  update<T extends ObjectLiteral>(target: EntityTarget<T>, key: Partial<T>, values: Partial<T>, options?: WriteOptions<T>): void {
    this.buffer.update(tableShapeOf(this.dataSource, target), key, values, options?.increment);
  }

  increment<T extends ObjectLiteral>(target: EntityTarget<T>, key: Partial<T>, deltas: { readonly [K in keyof T]?: number | bigint }): void {
    this.buffer.increment(tableShapeOf(this.dataSource, target), key, deltas);
  }

  delete<T extends ObjectLiteral>(target: EntityTarget<T>, key: Partial<T>): void {
    this.buffer.delete(tableShapeOf(this.dataSource, target), key);
  }
}
