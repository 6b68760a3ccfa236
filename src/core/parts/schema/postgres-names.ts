/**
 * The schema the Postgres change tracker keeps its log in; it and everything in it are never part
 * of a snapshot, since they are the tool's own and not the migration's.
 */
export const TRACKER_SCHEMA = 'migration_gate';

/** The prefix of the change tracker's event triggers, left out of every snapshot for the same reason. */
export const TRACKER_EVENT_TRIGGER_PREFIX = 'migration_gate_';

/** How a snapshot names an object of a schema: bare in `public`, `schema.name` elsewhere. */
export function displayName(schema: string, name: string): string {
  return schema === 'public' ? name : `${schema}.${name}`;
}
