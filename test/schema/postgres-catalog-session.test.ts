import { describe, expect, it } from 'vitest';
import { dollarQuoted, preparedQuery } from '../../src/core/parts/schema/postgres-catalog-session.ts';

describe('the Postgres catalog session', () => {
  it('dollar-quotes text with a tag the text cannot close early', () => {
    expect(dollarQuoted(`select 'a'`)).toBe(`$mg$select 'a'$mg$`);
    expect(dollarQuoted('costs $mg$ 5')).toBe('$mg_$costs $mg$ 5$mg_$');
    // Under `$mg$`, the text's last `$mg` and the closing tag's `$` would close it early.
    expect(dollarQuoted('ends in $mg')).toBe('$mg_$ends in $mg$mg_$');
  });

  it('names a prepared query after its label and the hash of its text', () => {
    const first = preparedQuery('migration_gate_snapshot_full', 'select 1');
    expect(first.name).toMatch(/^migration_gate_snapshot_full_[0-9a-f]{12}$/);
    expect(preparedQuery('migration_gate_snapshot_full', 'select 1').name).toBe(first.name);
    expect(preparedQuery('migration_gate_snapshot_full', 'select 2').name).not.toBe(first.name);
  });

  it('prepares a query only in a session that lacks it', () => {
    const { name, prepareIfMissing } = preparedQuery('label', 'select 1');
    expect(prepareIfMissing).toContain(
      `if not exists (select from pg_prepared_statements where name = '${name}')`,
    );
    expect(prepareIfMissing).toContain(`prepare ${name} as select 1`);
  });
});
