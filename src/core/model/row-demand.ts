/**
 * A rule a migration's up adds or tightens that rows already in an existing table may break:
 * what the target's rows are counted against (see the target part). Read from the schema
 * before and after the up on the throwaway database, so it says what the up did, whatever SQL
 * or query builder did it. Tables and columns are named as snapshots name them: `users`,
 * `audit.log` outside the default schema.
 */
export type RowDemand =
  | { readonly kind: 'not-null'; readonly table: string; readonly column: string }
  | { readonly kind: 'unique'; readonly table: string; readonly columns: readonly string[] }
  | {
      readonly kind: 'foreign-key';
      readonly table: string;
      readonly columns: readonly string[];
      readonly referencedTable: string;
      readonly referencedColumns: readonly string[];
    }
  | { readonly kind: 'check'; readonly table: string; readonly name: string; readonly expression: string }
  | { readonly kind: 'max-length'; readonly table: string; readonly column: string; readonly length: number }
  | {
      readonly kind: 'cast';
      readonly table: string;
      readonly column: string;
      /** The new type, as the snapshot spells it (`integer`, `int(11)`, `numeric(10,2)`). */
      readonly type: string;
      /** What the values must look like: whole numbers, decimals, or within a range. */
      readonly accepts: 'integer' | 'decimal' | { readonly min: string; readonly max: string };
    }
  | {
      readonly kind: 'enum-values';
      readonly table: string;
      readonly column: string;
      /** The values the column's type no longer has. */
      readonly removed: readonly string[];
    };
