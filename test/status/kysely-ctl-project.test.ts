import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { runStatus } from '../../src/core/flows/status/status.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import {
  AVAILABLE_ENGINES,
  describeEachEngine,
  dialectOf,
  isServer,
  serverUrlOf,
} from '../support/engines.ts';
import { installPackages } from '../support/npm-packages.ts';
import { createTargetDatabase } from '../target/target-database.ts';

const packages = await installPackages(['kysely-ctl@0.20.0', 'kysely@0.28.20', 'pg@8.23.1']);

describeEachEngine(
  'a kysely-ctl project whose migrations import through tsconfig paths',
  (engine) => {
    test('kysely-ctl applies it with --experimental-resolve-tsconfig-paths, and status reads the same history from its config', async () => {
      await using project = await packages!.project('tsconfig-paths');
      await using target = await createTargetDatabase(engine);
      // kysely-ctl itself, on the project's kysely.config.ts.
      await promisify(execFile)(
        process.execPath,
        [
          join(packages!.root, 'node_modules/kysely-ctl/dist/bin.mjs'),
          'migrate:latest',
          '--experimental-resolve-tsconfig-paths',
          '--no-filesystem-caching',
        ],
        { cwd: project.path, env: { ...process.env, DATABASE_URL: target.url }, timeout: 60_000 },
      );

      // No --migrations: the folder comes from kysely.config.ts, the aliases from tsconfig.json.
      const serverUrl = serverUrlOf(engine)!;
      const result = await runStatus({
        targetUrl: target.url,
        cwd: project.path,
        throwaway: 'server',
        serverUrl,
        logger: silentLogger,
      });

      expect(result).toMatchObject({ ok: true, applied: ['001_create_widgets'], pending: [], drift: [] });
    });
  },
  packages === undefined
    ? []
    : AVAILABLE_ENGINES.filter((engine) => dialectOf(engine) === 'postgres' && isServer(engine)),
);
