/** A name as a statement writes it: `t`, or `db`.`t` with the database it is qualified with. */
export interface MysqlName {
  readonly name: string;
  /** The qualifier as written; absent for an unqualified name (the current database). */
  readonly database?: string;
}

/** An object a statement creates, alters, renames or drops. */
export interface MysqlTouchedObject {
  /** `relation` stands for tables, views and sequences, which share one namespace. */
  readonly kind: 'relation' | 'function' | 'procedure' | 'event' | 'trigger';
  readonly name: MysqlName;
  /**
   * The table a created trigger belongs to. A dropped trigger names only itself: its table
   * is found in the snapshot from before the step.
   */
  readonly table?: MysqlName;
}

/** What a statement, or a whole text of statements, may change in the schema. */
export type MysqlStatementEffect =
  | { readonly change: 'none' }
  | { readonly change: 'objects'; readonly objects: readonly MysqlTouchedObject[] }
  | { readonly change: 'unknown'; readonly reason: string };

/** The effect of a statement that cannot be read with certainty. */
export function unknownEffect(reason: string): MysqlStatementEffect {
  return { change: 'unknown', reason };
}
