import { beforeAll, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { describeEachEngine, dialectOf } from '../support/engines.ts';
import { checkFixture, resultOf, verdicts } from './check-fixture.ts';

describeEachEngine("check on drizzle-kit's migrations folder", (engine) => {
  const fixture = dialectOf(engine) === 'mysql' ? 'drizzle-mysql' : 'drizzle-postgres';
  let check: CheckResult;
  beforeAll(async () => {
    check = await checkFixture(engine, fixture);
  });

  it('proves a file with a down written beside it, and reports the one without as missing its down', () => {
    expect(verdicts(check)).toEqual(['0000_tidy_hulk: missing-down', '0001_lucky_thor: reversible']);
    expect(resultOf(check, '0000_tidy_hulk').message).toBe(
      '0000_tidy_hulk has no down; write one, or declare it irreversible with a reason (a line -- migration-gate:irreversible <reason>)',
    );
  });

  it('still runs the up, splitting at --> statement-breakpoint, and judges it', () => {
    const first = resultOf(check, '0000_tidy_hulk');
    expect(first.statements?.up).toHaveLength(3);
    expect(first.changes).toEqual(expect.arrayContaining(['table users was added', 'table posts was added']));
    expect(first.risks).toBeDefined();
    expect(resultOf(check, '0001_lucky_thor').statements?.up).toHaveLength(2);
  });
});
