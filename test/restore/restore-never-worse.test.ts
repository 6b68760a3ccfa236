import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { digestFile } from '../../src/core/parts/backup/backup-files.ts';
import type { BackupRecord } from '../../src/core/model/backup-record.ts';
import type { Logger } from '../../src/core/model/logger.ts';
import { runRestore } from '../../src/core/flows/restore/restore.ts';
import { diffSnapshots } from '../../src/core/parts/schema/diff.ts';
import { createBackupTarget } from '../backup/backup-target.ts';
import { AVAILABLE_ENGINES, describeEachEngine } from '../support/engines.ts';
import { changeAfterBackup, createTemporaryFolder, migrateTo, verifiedBackupOf } from './restore-fixture.ts';

/** A logger that keeps what it was told. */
function keepingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (message: string) => lines.push(message);
  return { lines, info: keep, warn: keep, debug: () => {} };
}

/** Appends SQL to a MySQL dump and makes its manifest match again: a dump that fails at its end. */
async function appendToDump(record: BackupRecord, text: string): Promise<void> {
  await appendFile(record.path, text);
  const { sha256, sizeBytes } = await digestFile(record.path);
  const manifest = JSON.parse(await readFile(record.manifestPath, 'utf8')) as Record<string, unknown>;
  await writeFile(record.manifestPath, JSON.stringify({ ...manifest, sha256, sizeBytes }));
}

/** The names of the scratch databases a run said it loaded into. */
function scratchNamesIn(lines: readonly string[]): string[] {
  return lines.flatMap((line) =>
    [...line.matchAll(/scratch database (migration_gate_\w+)/g)].map((m) => m[1]!),
  );
}

describeEachEngine(
  'a restore that fails',
  (engine) => {
    test('leaves every table of the target as it was, none emptied, and no scratch database behind', async () => {
      await using backups = await createTemporaryFolder();
      await using target = await createBackupTarget(engine);
      await migrateTo(target.db, '0002_seed_notes');
      const record = await verifiedBackupOf(target, backups.path);
      await changeAfterBackup(target);
      if (engine === 'postgres') {
        // pg_restore --clean cannot drop a table a view made after the backup depends on.
        await sql`create view recent_notes as select id from notes`.execute(target.db);
      } else {
        // The whole dump loads, tables first; then its last statement fails.
        await appendToDump(record, '\nselect * from table_that_is_not_there;\n');
      }
      const before = await target.read();
      const logger = keepingLogger();

      const result = await runRestore({
        cwd: '/',
        logger,
        targetUrl: target.url,
        from: record.path,
        backup: 'none',
      });

      expect(result).toMatchObject({ ok: false, outcome: 'failed' });
      expect(result.failure!.state).toMatch(/^nothing was changed: /);
      const after = await target.read();
      expect(diffSnapshots(before.schema, after.schema).changes).toEqual([]);
      expect(after.rowCounts).toEqual(before.rowCounts);
      expect(Object.values(after.rowCounts).filter((count) => count === 0)).toEqual([]);
      if (engine !== 'postgres') {
        const scratch = scratchNamesIn(logger.lines);
        expect(scratch.length).toBeGreaterThan(0);
        const { rows } = await sql<{
          name: string;
        }>`select schema_name as name from information_schema.schemata
          where schema_name in (${sql.join(scratch)})`.execute(target.db);
        expect(rows).toEqual([]);
      }
    });
  },
  AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite'),
);

describeEachEngine(
  'a MySQL/MariaDB restore',
  (engine) => {
    test('refuses a backup holding a trigger, which no atomic swap can carry, naming it and changing nothing', async () => {
      await using backups = await createTemporaryFolder();
      await using target = await createBackupTarget(engine);
      await sql`create trigger tags_label before insert on tags for each row set new.label = lower(new.label)`.execute(
        target.db,
      );
      const record = await verifiedBackupOf(target, backups.path);
      await sql`delete from posts`.execute(target.db);
      const before = await target.read();

      const result = await runRestore({
        cwd: '/',
        logger: keepingLogger(),
        targetUrl: target.url,
        from: record.path,
        backup: 'none',
      });

      expect(result).toMatchObject({ ok: false, outcome: 'failed' });
      expect(result.failure!.message).toMatch(
        /the backup holds 1 trigger\(s\), which cannot be swapped into/,
      );
      expect(result.failure!.state).toMatch(/^nothing was changed: /);
      const after = await target.read();
      expect(after.rowCounts).toEqual(before.rowCounts);
    });

    test('refuses when a table made after the backup has a foreign key to a table the swap replaces, changing nothing', async () => {
      await using backups = await createTemporaryFolder();
      await using target = await createBackupTarget(engine);
      const record = await verifiedBackupOf(target, backups.path);
      await sql`create table reviews (id int primary key, post_id int,
        constraint fk_reviews_post foreign key (post_id) references posts (id))`.execute(target.db);
      await sql`delete from tags`.execute(target.db);
      const before = await target.read();

      const result = await runRestore({
        cwd: '/',
        logger: keepingLogger(),
        targetUrl: target.url,
        from: record.path,
        backup: 'none',
      });

      expect(result).toMatchObject({ ok: false, outcome: 'failed' });
      expect(result.failure!.message).toMatch(
        /that are not in the backup have foreign keys to tables the restore replaces/,
      );
      expect(result.failure!.details).toContain('reviews.fk_reviews_post references posts');
      expect(result.failure!.state).toMatch(/^nothing was changed: /);
      const after = await target.read();
      expect(diffSnapshots(before.schema, after.schema).changes).toEqual([]);
      expect(after.rowCounts).toEqual(before.rowCounts);
    });
  },
  AVAILABLE_ENGINES.filter((engine) => engine === 'mariadb'),
);
