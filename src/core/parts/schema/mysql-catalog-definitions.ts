import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { Catalog } from './mysql-catalog.ts';
import { nonEmpty, rows, text, textOr } from './mysql-catalog.ts';
import { normalizeColumnType } from './mysql-catalog-values.ts';
import type { NameFilter } from './mysql-read-plan.ts';
import { isEmpty, limited, nameIn } from './mysql-read-plan.ts';
import type { SchemaObject } from './snapshot.ts';

/** Views from VIEWS, with their algorithm. */
export async function readViews(
  catalog: Catalog,
  filter: NameFilter,
  objects: SchemaObject[],
): Promise<void> {
  if (isEmpty(filter)) return;
  const hasAlgorithm = catalog.has('VIEWS', 'ALGORITHM');
  const viewRows = await rows(
    catalog,
    sql`select table_name as table_name, view_definition as view_definition, check_option as check_option,
               security_type as security_type, ${hasAlgorithm ? sql`algorithm` : sql`null`} as algorithm
        from information_schema.views
        where table_schema = database()${nameIn('table_name', filter)}
        order by table_name`,
  );
  for (const row of viewRows) {
    const name = textOr(row['table_name'], '');
    if (catalog.excluded.has(name)) continue;
    const algorithm = hasAlgorithm ? text(row['algorithm']) : await viewAlgorithm(catalog, name);
    objects.push({
      kind: 'view',
      name,
      attributes: {
        definition: catalog.strip(text(row['view_definition'])),
        checkOption: text(row['check_option']),
        securityType: text(row['security_type']),
        algorithm,
      },
    });
  }
}

/** MySQL 8 has no VIEWS.ALGORITHM; SHOW CREATE VIEW always spells it out. */
async function viewAlgorithm(catalog: Catalog, view: string): Promise<string | null> {
  const [row] = await rows(catalog, sql`show create view ${sql.id(view)}`);
  const ddl = text(row?.['Create View']) ?? '';
  return /\bALGORITHM=(\w+)/i.exec(ddl)?.[1]?.toUpperCase() ?? null;
}

/** Functions and procedures from ROUTINES, with their parameters from PARAMETERS. */
export async function readRoutines(
  catalog: Catalog,
  functions: NameFilter,
  procedures: NameFilter,
  objects: SchemaObject[],
): Promise<void> {
  if (isEmpty(functions) && isEmpty(procedures)) return;
  const ofType = (type: string, filter: NameFilter): RawBuilder<unknown> =>
    isEmpty(filter) ? sql`0` : sql`(routine_type = ${type}${nameIn('routine_name', filter)})`;
  const routineRows = await rows(
    catalog,
    sql`select specific_name as specific_name, routine_name as routine_name, routine_type as routine_type,
               dtd_identifier as dtd_identifier, routine_definition as routine_definition,
               is_deterministic as is_deterministic, sql_data_access as sql_data_access,
               security_type as security_type, routine_comment as routine_comment
        from information_schema.routines
        where routine_schema = database()
          and (${ofType('FUNCTION', functions)} or ${ofType('PROCEDURE', procedures)})
        order by routine_type, routine_name`,
  );
  // Parameters belong to routines found: none found, none to read.
  const names: NameFilter =
    functions === 'all' || procedures === 'all'
      ? 'all'
      : limited([...new Set([...functions, ...procedures])]);
  const parameterRows =
    routineRows.length === 0
      ? []
      : await rows(
          catalog,
          sql`select specific_name as specific_name, routine_type as routine_type,
                     parameter_mode as parameter_mode, parameter_name as parameter_name,
                     dtd_identifier as dtd_identifier
              from information_schema.parameters
              where specific_schema = database() and ordinal_position > 0${nameIn('specific_name', names)}
              order by specific_name, routine_type, ordinal_position`,
        );
  const parameters = new Map<string, string[]>();
  for (const row of parameterRows) {
    const key = `${textOr(row['routine_type'], '')}\u0000${textOr(row['specific_name'], '')}`;
    const mode = text(row['parameter_mode']);
    const parameter = `${mode === null ? '' : `${mode} `}${textOr(row['parameter_name'], '')} ${normalizeColumnType(textOr(row['dtd_identifier'], ''))}`;
    parameters.set(key, [...(parameters.get(key) ?? []), parameter]);
  }
  for (const row of routineRows) {
    const type = textOr(row['routine_type'], '');
    const isFunction = type === 'FUNCTION';
    objects.push({
      kind: isFunction ? 'function' : 'procedure',
      name: textOr(row['routine_name'], ''),
      attributes: {
        params: (parameters.get(`${type}\u0000${textOr(row['specific_name'], '')}`) ?? []).join(', '),
        returns: isFunction ? normalizeColumnType(textOr(row['dtd_identifier'], '')) : null,
        body: catalog.strip(text(row['routine_definition'])),
        deterministic: text(row['is_deterministic']) === 'YES',
        dataAccess: text(row['sql_data_access']),
        security: text(row['security_type']),
        comment: nonEmpty(row['routine_comment']),
      },
    });
  }
}

/** Triggers from TRIGGERS. */
export async function readTriggers(
  catalog: Catalog,
  filter: NameFilter,
  objects: SchemaObject[],
): Promise<void> {
  if (isEmpty(filter)) return;
  const triggerRows = await rows(
    catalog,
    sql`select trigger_name as trigger_name, event_object_table as event_object_table,
               action_timing as action_timing, event_manipulation as event_manipulation,
               action_order as action_order, action_statement as action_statement
        from information_schema.triggers
        where trigger_schema = database()${nameIn('event_object_table', filter)}
        order by event_object_table, trigger_name`,
  );
  for (const row of triggerRows) {
    const table = textOr(row['event_object_table'], '');
    if (catalog.excluded.has(table)) continue;
    objects.push({
      kind: 'trigger',
      name: textOr(row['trigger_name'], ''),
      table,
      attributes: {
        timing: text(row['action_timing']),
        event: text(row['event_manipulation']),
        order: Number(row['action_order']),
        statement: catalog.strip(text(row['action_statement'])),
      },
    });
  }
}

/**
 * Scheduled events. EXECUTE AT, STARTS and ENDS are left out: unless spelled as constants
 * they are computed from the creation time, so recreating the same event changes them.
 */
export async function readEvents(
  catalog: Catalog,
  filter: NameFilter,
  objects: SchemaObject[],
): Promise<void> {
  if (isEmpty(filter)) return;
  const eventRows = await rows(
    catalog,
    sql`select event_name as event_name, event_definition as event_definition, event_type as event_type,
               interval_value as interval_value, interval_field as interval_field, status as status,
               on_completion as on_completion, event_comment as event_comment
        from information_schema.events
        where event_schema = database()${nameIn('event_name', filter)}
        order by event_name`,
  );
  for (const row of eventRows) {
    const interval = text(row['interval_value']);
    objects.push({
      kind: 'event',
      name: textOr(row['event_name'], ''),
      attributes: {
        type: text(row['event_type']),
        every: interval === null ? null : `${interval} ${textOr(row['interval_field'], '')}`,
        status: text(row['status']),
        onCompletion: text(row['on_completion']),
        body: catalog.strip(text(row['event_definition'])),
        comment: nonEmpty(row['event_comment']),
      },
    });
  }
}
