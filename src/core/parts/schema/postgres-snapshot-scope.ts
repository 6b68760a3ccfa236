import type { SchemaObjectKind } from './snapshot.ts';

/** Every kind a Postgres snapshot records. */
const ALL_KINDS: readonly SchemaObjectKind[] = [
  'schema',
  'extension',
  'table',
  'column',
  'constraint',
  'index',
  'view',
  'materialized view',
  'sequence',
  'type',
  'function',
  'procedure',
  'trigger',
  'event',
];

/** The kinds whose objects belong to a relation (`relation:<name>` owner keys). */
const RELATION_OWNED_KINDS: readonly SchemaObjectKind[] = [
  'table',
  'view',
  'materialized view',
  'sequence',
  'column',
  'constraint',
  'index',
  'trigger',
];

/** What one take reads: per kind, every object or only those of some owner names. */
export interface ReadScope {
  /** True for a full snapshot. */
  readonly full: boolean;
  /** Kinds whose every object is wanted (`kind:*` owner keys). */
  readonly everyKind: ReadonlySet<string>;
  /** Owner names by owner prefix: `relation`, `type`, `function`, `procedure`, ... */
  readonly names: ReadonlyMap<string, readonly string[]>;
}

/** The scope of a take from its owner keys (see `ownerKey`); a full snapshot without them. */
export function readScope(owners: ReadonlySet<string> | undefined): ReadScope {
  if (owners === undefined) return { full: true, everyKind: new Set(), names: new Map() };
  const everyKind = new Set<string>();
  const names = new Map<string, string[]>();
  for (const owner of owners) {
    // Kinds never contain a colon, names may: the first colon ends the prefix.
    const colon = owner.indexOf(':');
    if (colon < 0) continue;
    const prefix = owner.slice(0, colon);
    const name = owner.slice(colon + 1);
    // `type:*` is every type (which includes one named `*`); `relation` is no kind, so
    // `relation:*` can only be a relation named `*`.
    if (name === '*' && prefix !== 'relation') everyKind.add(prefix);
    else {
      const list = names.get(prefix) ?? [];
      list.push(name);
      names.set(prefix, list);
    }
  }
  return { full: false, everyKind, names };
}

/** Whether no object at all is wanted (an empty owner set, or only keys no object can have). */
export function wantsNothing(scope: ReadScope): boolean {
  return !scope.full && !ALL_KINDS.some((kind) => wantsKind(scope, kind));
}

/**
 * Whether the scoped query, which looks objects up by their owners' names, reads this scope:
 * no kind is wanted whole but event triggers, which are few. A kind wanted whole is most of a
 * full read anyway.
 */
export function readableByName(scope: ReadScope): boolean {
  return !scope.full && [...scope.everyKind].every((kind) => kind === 'event');
}

/** Whether any object of `kind` may be read. */
function wantsKind(scope: ReadScope, kind: SchemaObjectKind): boolean {
  if (scope.full || scope.everyKind.has(kind)) return true;
  return (scope.names.get(ownerPrefixOf(kind)) ?? []).length > 0;
}

/** Whether an object of `kind` owned by `name` (its relation, or itself) is wanted. */
export function wantsObject(scope: ReadScope, kind: SchemaObjectKind, name: string): boolean {
  if (scope.full || scope.everyKind.has(kind)) return true;
  return (scope.names.get(ownerPrefixOf(kind)) ?? []).includes(name);
}

function ownerPrefixOf(kind: SchemaObjectKind): string {
  return RELATION_OWNED_KINDS.includes(kind) ? 'relation' : kind;
}

/**
 * The scope as the scoped query reads it from `SCOPE_SETTING`: the owner keys themselves,
 * which the query splits by prefix (so that the change tracker's server side, which knows only
 * owner keys, can set the same scope).
 */
export function scopeJson(owners: ReadonlySet<string>): string {
  return JSON.stringify([...owners]);
}
