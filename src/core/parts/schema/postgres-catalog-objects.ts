import { displayName } from './postgres-names.ts';
import type {
  ColumnRow,
  ConstraintRow,
  EventTriggerRow,
  FunctionRow,
  IndexRow,
  Relation,
  TriggerRow,
  TypeRow,
} from './postgres-catalog-rows.ts';
import type { AttributeValue, SchemaObject } from './snapshot.ts';

// The catalog's one-letter codes in the words a snapshot records.

const TABLE_KINDS: Readonly<Record<string, string>> = {
  r: 'table',
  p: 'partitioned table',
  f: 'foreign table',
};

const REPLICA_IDENTITY: Readonly<Record<string, string>> = {
  d: 'default',
  n: 'nothing',
  f: 'full',
  i: 'index',
};

const FOREIGN_KEY_ACTIONS: Readonly<Record<string, string>> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

const CONSTRAINT_TYPES: Readonly<Record<string, string>> = {
  p: 'primary key',
  u: 'unique',
  c: 'check',
  f: 'foreign key',
  x: 'exclusion',
};

const TRIGGER_ENABLED: Readonly<Record<string, string>> = {
  O: 'enabled',
  D: 'disabled',
  R: 'replica',
  A: 'always',
};

/** The tables, views, materialized views and sequences among the relations. */
export function relationObjects(relations: Iterable<Relation>): SchemaObject[] {
  const objects: SchemaObject[] = [];
  for (const relation of relations) {
    const tableKind = TABLE_KINDS[relation.kind];
    if (tableKind !== undefined) {
      const isPartition = relation.partition_bound !== null;
      objects.push({
        kind: 'table',
        name: relation.display,
        attributes: {
          kind: tableKind,
          persistence: relation.persistence === 'u' ? 'unlogged' : 'permanent',
          partitionKey: relation.partition_key,
          partitionOf: isPartition ? (relation.parents[0] ?? null) : null,
          partitionBound: relation.partition_bound,
          inherits: !isPartition && relation.parents.length > 0 ? relation.parents.join(', ') : null,
          rowLevelSecurity: relation.rls,
          forceRowLevelSecurity: relation.force_rls,
          replicaIdentity: REPLICA_IDENTITY[relation.replica_identity] ?? relation.replica_identity,
          options: relation.options,
          comment: relation.comment,
        },
      });
    } else if (relation.kind === 'v' || relation.kind === 'm') {
      objects.push({
        kind: relation.kind === 'v' ? 'view' : 'materialized view',
        name: relation.display,
        attributes: { definition: relation.definition, options: relation.options, comment: relation.comment },
      });
    } else if (relation.kind === 'S' && relation.seq_type !== null) {
      // Parameters only: last_value and is_called live in the sequence itself and move with every
      // insert. Text, because bigint bounds do not fit a JavaScript number.
      const owner =
        relation.owner_schema === null || relation.owner_name === null
          ? null
          : `${displayName(relation.owner_schema, relation.owner_name)}.${relation.owner_column ?? '?'}`;
      objects.push({
        kind: 'sequence',
        name: relation.display,
        attributes: {
          type: relation.seq_type,
          start: relation.seq_start,
          increment: relation.seq_increment,
          min: relation.seq_min,
          max: relation.seq_max,
          cache: relation.seq_cache,
          cycle: relation.seq_cycle,
          ownedBy: relation.owner_relation === null ? null : owner,
          comment: relation.comment,
        },
      });
    }
  }
  return objects;
}

/** A schema as a snapshot records it. */
export function schemaObject(row: { name: string; comment: string | null }): SchemaObject {
  return { kind: 'schema', name: row.name, attributes: { comment: row.comment } };
}

/** An extension as a snapshot records it. */
export function extensionObject(row: { name: string; version: string; schema: string }): SchemaObject {
  return { kind: 'extension', name: row.name, attributes: { version: row.version, schema: row.schema } };
}

/** A column of `table` as a snapshot records it; its position is only a note. */
export function columnObject(row: ColumnRow, table: string): SchemaObject {
  return {
    kind: 'column',
    name: `${table}.${row.name}`,
    table,
    attributes: {
      type: row.type,
      nullable: !row.not_null,
      default: row.default_value,
      identity: row.identity === 'a' ? 'always' : row.identity === 'd' ? 'by default' : null,
      generated: row.generated,
      generatedStorage: row.generated_kind === 's' ? 'stored' : row.generated_kind === 'v' ? 'virtual' : null,
      collation: row.collation,
      comment: row.comment,
    },
    notes: { position: row.position },
  };
}

/** A constraint of `table` as a snapshot records it. */
export function constraintObject(row: ConstraintRow, table: string): SchemaObject {
  const attributes: Record<string, AttributeValue> = {
    type: CONSTRAINT_TYPES[row.type] ?? row.type,
    definition: row.definition,
    validated: row.validated,
    deferrable: row.deferrable
      ? row.deferred
        ? 'deferrable initially deferred'
        : 'deferrable initially immediate'
      : 'not deferrable',
    comment: row.comment,
  };
  if (row.type === 'f') {
    attributes['onDelete'] = FOREIGN_KEY_ACTIONS[row.on_delete] ?? row.on_delete;
    attributes['onUpdate'] = FOREIGN_KEY_ACTIONS[row.on_update] ?? row.on_update;
  }
  return { kind: 'constraint', name: row.name, table, attributes };
}

/** An index of `table` as a snapshot records it. */
export function indexObject(row: IndexRow, table: string): SchemaObject {
  return {
    kind: 'index',
    name: row.name,
    table,
    attributes: {
      definition: row.definition,
      unique: row.unique,
      method: row.method,
      predicate: row.predicate,
      valid: row.valid,
      comment: row.comment,
    },
  };
}

/** An enum, domain, composite or range type as a snapshot records it. */
export function typeObject(row: TypeRow): SchemaObject {
  const name = displayName(row.schema, row.name);
  const comment = row.comment;
  switch (row.type) {
    case 'e':
      return { kind: 'type', name, attributes: { type: 'enum', labels: row.labels ?? '', comment } };
    case 'd':
      return {
        kind: 'type',
        name,
        attributes: {
          type: 'domain',
          baseType: row.base_type,
          default: row.default_value,
          notNull: row.not_null,
          checks: row.checks,
          collation: row.collation,
          comment,
        },
      };
    case 'c':
      return { kind: 'type', name, attributes: { type: 'composite', fields: row.fields ?? '', comment } };
    default:
      return {
        kind: 'type',
        name,
        attributes: {
          type: 'range',
          subtype: row.subtype,
          subtypeOpclass: row.subtype_opclass,
          subtypeDiff: row.subtype_diff,
          canonical: row.canonical,
          comment,
        },
      };
  }
}

/** A function or procedure, named with its argument types as overloads are told apart. */
export function functionObject(row: FunctionRow): SchemaObject {
  return {
    kind: row.kind === 'p' ? 'procedure' : 'function',
    name: `${displayName(row.schema, row.name)}(${row.args})`,
    attributes: { definition: row.definition, comment: row.comment },
  };
}

/** A trigger of `table` as a snapshot records it. */
export function triggerObject(row: TriggerRow, table: string): SchemaObject {
  return {
    kind: 'trigger',
    name: row.name,
    table,
    attributes: { definition: row.definition, enabled: TRIGGER_ENABLED[row.enabled] ?? row.enabled },
  };
}

/** An event trigger as a snapshot records it. */
export function eventTriggerObject(row: EventTriggerRow): SchemaObject {
  return {
    kind: 'event',
    name: row.name,
    attributes: {
      event: row.event,
      function: row.function,
      tags: row.tags,
      enabled: TRIGGER_ENABLED[row.enabled] ?? row.enabled,
    },
  };
}
