import type { DialectName } from '../../model/dialect.ts';
import type { Problem } from '../../model/outcome.ts';
import type { RestoreFailure } from '../../model/restore-result.ts';

/**
 * Puts a failed restore into words: what state the target is in, and the exact command that
 * puts back the fresh backup taken before it (the target's URL as `$MIGRATION_GATE_TARGET_URL`,
 * never the URL itself, which may hold a password).
 */
export function describeRestoreFailure(
  dialect: DialectName,
  problem: Problem,
  from: string,
  freshBackupPath: string | undefined,
): RestoreFailure {
  const state = /nothing was changed/.test(problem.message)
    ? dialect === 'postgres'
      ? 'nothing was changed: the restore runs in one transaction'
      : 'nothing was changed: the backup is loaded into a scratch database and swapped in only once it is complete'
    : dialect === 'postgres'
      ? 'the restore stopped before it finished: the target is unchanged unless the restore itself completed'
      : 'the target may be partly restored: MySQL/MariaDB cannot undo DDL, so tables restored before the failure stay replaced';
  const again = `fix the cause and restore ${from} again`;
  const recovery =
    freshBackupPath === undefined
      ? `no fresh backup was taken (backup none): ${again}`
      : `\`${restoreCommand(freshBackupPath)}\` puts the target back as it was before this run; or ${again}`;
  return {
    message: problem.message,
    details: problem.details.filter((line) => line.trim() !== ''),
    state,
    recovery,
  };
}

/** The command that restores `backupPath` into the target without taking another backup. */
export function restoreCommand(backupPath: string): string {
  return `migration-gate restore --target-url "$MIGRATION_GATE_TARGET_URL" --from ${shellWord(backupPath)} --backup none`;
}

function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
