import { describe, expect, it } from 'vitest';
import { SCOPE_SETTING, SCOPED_CATALOG_GROUPS } from '../../src/core/parts/schema/postgres-catalog-query.ts';
import { TRACKER_EVENT_TRIGGER_PREFIX, TRACKER_SCHEMA } from '../../src/core/parts/schema/postgres-names.ts';
import { trackerInstallProgram } from '../../src/core/parts/schema/postgres-tracker-statements.ts';

describe("the Postgres change tracker's install program", () => {
  it('is read from postgres-change-tracker.sql with the scoped catalog query in place of its marker', () => {
    const program = trackerInstallProgram();
    expect(program).not.toContain('{{scoped catalog reads}}');
    for (const group of SCOPED_CATALOG_GROUPS) expect(program).toContain(`from (${group.sql}) q;`);
  });

  it('uses the names the TypeScript side reads and leaves out of snapshots', () => {
    const program = trackerInstallProgram();
    expect(program).toContain(`create schema ${TRACKER_SCHEMA};`);
    expect(program).toContain(`create event trigger ${TRACKER_EVENT_TRIGGER_PREFIX}ddl on ddl_command_end`);
    expect(program).toContain(`create event trigger ${TRACKER_EVENT_TRIGGER_PREFIX}drop on sql_drop`);
    expect(program).toContain(`set ${SCOPE_SETTING} = '[]'`);
    expect(program).toContain(`perform set_config('${SCOPE_SETTING}'`);
  });
});
