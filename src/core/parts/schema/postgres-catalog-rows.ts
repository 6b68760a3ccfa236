// The shapes of the catalog query's rows, one per part, as `row_to_json` gives them.

/** A table, view, materialized view or sequence, with its sequence parameters and owner. */
export interface RelationRow {
  oid: string;
  schema: string;
  name: string;
  kind: string;
  persistence: string;
  rls: boolean;
  force_rls: boolean;
  replica_identity: string;
  options: string | null;
  comment: string | null;
  partition_key: string | null;
  partition_bound: string | null;
  parents: string[];
  definition: string | null;
  in_extension: boolean;
  owner_relation: string | null;
  owner_found: boolean | null;
  owner_schema: string | null;
  owner_name: string | null;
  owner_in_extension: boolean | null;
  owner_column: string | null;
  seq_type: string | null;
  seq_start: string | null;
  seq_increment: string | null;
  seq_min: string | null;
  seq_max: string | null;
  seq_cache: string | null;
  seq_cycle: boolean | null;
}

/** A relation row with the name a snapshot gives it. */
export interface Relation extends RelationRow {
  readonly display: string;
}

/** A column of a table; `relation` is its table's oid. */
export interface ColumnRow {
  relation: string;
  name: string;
  type: string;
  not_null: boolean;
  default_value: string | null;
  generated: string | null;
  generated_kind: string;
  identity: string;
  collation: string | null;
  comment: string | null;
  position: number;
}

/** A constraint of a table; `relation` is its table's oid. */
export interface ConstraintRow {
  relation: string;
  name: string;
  type: string;
  definition: string;
  validated: boolean;
  deferrable: boolean;
  deferred: boolean;
  on_update: string;
  on_delete: string;
  comment: string | null;
}

/** An index of a table; `relation` is its table's oid. */
export interface IndexRow {
  relation: string;
  name: string;
  definition: string;
  unique: boolean;
  method: string;
  predicate: string | null;
  valid: boolean;
  comment: string | null;
}

/** An enum, domain, composite or range type. */
export interface TypeRow {
  schema: string;
  name: string;
  type: string;
  labels: string | null;
  base_type: string | null;
  default_value: string | null;
  not_null: boolean;
  checks: string | null;
  collation: string | null;
  fields: string | null;
  subtype: string | null;
  subtype_opclass: string | null;
  subtype_diff: string | null;
  canonical: string | null;
  comment: string | null;
}

/** A function or procedure. */
export interface FunctionRow {
  schema: string;
  name: string;
  args: string;
  kind: string;
  definition: string;
  comment: string | null;
}

/** A trigger of a table; `relation` is its table's oid. */
export interface TriggerRow {
  relation: string;
  name: string;
  definition: string;
  enabled: string;
}

/** An event trigger. */
export interface EventTriggerRow {
  name: string;
  event: string;
  function: string;
  tags: string | null;
  enabled: string;
}
