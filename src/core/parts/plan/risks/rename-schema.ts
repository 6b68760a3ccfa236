import { schemaRenames } from './renames.ts';
import type { RiskRule } from './rule.ts';

/**
 * `rename-schema` (Postgres): a schema that existed before now has another name. Severity
 * `warning`, like a table rename: nothing is lost (its tables move with it, which is why
 * `drop-table` does not report them), but every name the running application qualifies with
 * the schema, and every search_path that lists it, breaks until the new version is out.
 */
export const renameSchema: RiskRule = {
  id: 'rename-schema',
  dialects: ['postgres'],
  severity: 'warning',
  why: 'the application version still running during the deploy names the old schema (in queries or its search_path) and fails until the new one is out',
  instead:
    'create the new schema and move the objects (ALTER TABLE ... SET SCHEMA) behind views or a search_path listing both, then drop the old schema in a later migration',
  check(input) {
    return schemaRenames(input).map(({ from, to, statement }) => ({
      what: `renames schema ${from} to ${to}`,
      statement,
      evidence: [`schema ${from} is gone after the up and ${to} is there, with the statement renaming it`],
    }));
  },
};
