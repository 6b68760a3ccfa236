import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { runCheck } from '../../src/core/flows/check/run-check.ts';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { describeEachEngine, dialectOf, serverUrlOf } from '../support/engines.ts';
import { installPackages } from '../support/npm-packages.ts';
import { resultOf, verdicts } from './check-fixture.ts';

// Kysera's own package, not a look-alike: its helpers shape the objects the loader reads.
const packages = await installPackages(['@kysera/migrations@0.8.8', 'kysely@0.28.20']);

describeEachEngine(
  "check on Kysera's migrations (@kysera/migrations)",
  (engine) => {
    let check: CheckResult;
    beforeAll(async () => {
      await using project = await packages!.project('kysera');
      const serverUrl = serverUrlOf(engine);
      check = await runCheck({
        migrations: join(project.path, 'db/migrations/index.ts'),
        dialect: dialectOf(engine),
        throwaway: engine === 'pglite' ? 'embedded' : 'server',
        ...(serverUrl === undefined ? {} : { serverUrl }),
        mode: 'step',
        cwd: project.path,
        logger: silentLogger,
      });
    });

    it('reads createMigration, createMigrationWithMeta, defineMigrations and plain objects under any export name', () => {
      expect(verdicts(check)).toEqual([
        '001_create_posts: reversible',
        '002_add_posts_slug: reversible',
        '003_create_comments: reversible',
        '004_create_audit_log: reversible',
        '005_drop_audit_log: declared-irreversible',
      ]);
      expect(check.ok).toBe(true);
    });

    it('carries their description, breaking flag, estimated duration and tags onto the results', () => {
      expect(resultOf(check, '002_add_posts_slug').meta).toEqual({
        description: 'Adds a unique slug to posts',
        breaking: true,
        estimatedDurationMs: 30_000,
        tags: ['blog', 'schema'],
      });
      expect(resultOf(check, '003_create_comments').meta).toEqual({ description: 'Comments on posts' });
      expect(resultOf(check, '004_create_audit_log').meta).toEqual({ tags: ['audit'] });
      expect(resultOf(check, '001_create_posts')).not.toHaveProperty('meta');
    });

    it('takes an irreversible reason declared on the migration object', () => {
      expect(resultOf(check, '005_drop_audit_log').reason).toBe('the audit log moved to the warehouse');
    });
  },
  packages === undefined ? [] : undefined,
);
