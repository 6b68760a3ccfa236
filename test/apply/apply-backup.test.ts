import { expect, test } from 'vitest';
import type { ConnectionTarget } from '../../src/core/parts/database/connection-url.ts';
import { parseConnectionUrl } from '../../src/core/parts/database/connection-url.ts';
import type { BackupRecord } from '../../src/core/model/backup-record.ts';
import { AVAILABLE_ENGINES, describeEachEngine } from '../support/engines.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import { applyTo, createMigrationFolder, kyselyRows, threeMigrations } from './apply-fixture.ts';

describeEachEngine(
  'apply, the injected backup step',
  (engine) => {
    test('takes the backup once, after the guards and before the first change, and reports it', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      const seen: { display: string; applied: string[] }[] = [];

      const result = await applyTo(engine, target.url, folder, {
        backup: async (backedUp: ConnectionTarget) => {
          seen.push({ display: backedUp.display, applied: await kyselyRows(target.db).catch(() => []) });
          return fakeBackupRecord('/backups/target.dump');
        },
      });

      expect(result).toMatchObject({ ok: true, backup: { path: '/backups/target.dump' } });
      expect(seen).toEqual([{ display: parseConnectionUrl(target.url).display, applied: [] }]);
    });

    test('refuses to change the target without a verified backup', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);

      const result = await applyTo(engine, target.url, folder, { backup: async () => undefined });

      expect(result).toMatchObject({
        ok: false,
        outcome: 'refused',
        refusal: { reason: 'backup' },
        applied: [],
      });
      expect(await kyselyRows(target.db).catch(() => [])).toEqual([]);
    });

    test('takes no backup when nothing is pending', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder);
      let calls = 0;

      const result = await applyTo(engine, target.url, folder, {
        backup: async () => {
          calls += 1;
          return fakeBackupRecord('unused');
        },
      });

      expect(result.outcome).toBe('up-to-date');
      expect(calls).toBe(0);
    });
  },
  AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite'),
);

/** A verified backup's record as the backup step returns it; only its path matters here. */
function fakeBackupRecord(path: string): BackupRecord {
  const tool = { name: 'pg_dump', version: '15', where: 'local' } as const;
  return {
    path,
    manifestPath: `${path}.manifest.json`,
    sizeBytes: 0,
    sha256: '',
    verified: true,
    durationMs: 0,
    dumpMs: 0,
    verifyMs: 0,
    engine: 'postgres',
    serverVersion: '15',
    tool,
    tableCount: 0,
    rowCount: 0,
    verifiedOn: 'a scratch database',
  };
}
