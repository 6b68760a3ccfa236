import { beforeAll, expect, it } from 'vitest';
import { runCheck } from '../../src/core/flows/check/run-check.ts';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { describeEachEngine, dialectOf, serverUrlOf } from '../support/engines.ts';
import { REPO_ROOT, verdicts } from './check-fixture.ts';

describeEachEngine('check on migrations importing through tsconfig paths', (engine) => {
  let check: CheckResult;
  beforeAll(async () => {
    const serverUrl = serverUrlOf(engine);
    check = await runCheck({
      migrations: 'test/fixtures/tsconfig-paths/src/db/migrations',
      dialect: dialectOf(engine),
      throwaway: engine === 'pglite' ? 'embedded' : 'server',
      ...(serverUrl === undefined ? {} : { serverUrl }),
      mode: 'step',
      cwd: REPO_ROOT,
      logger: silentLogger,
    });
  });

  it("resolves @/db/... and an exact alias from the project's tsconfig, through its extends", () => {
    expect(verdicts(check)).toEqual(['001_create_widgets: reversible']);
    expect(check.migrations[0]!.changes).toEqual(['table widgets was added']);
  });
});
